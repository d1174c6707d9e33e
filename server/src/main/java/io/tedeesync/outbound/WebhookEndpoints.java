package io.tedeesync.outbound;

import io.tedeesync.store.AttemptRow;
import io.tedeesync.store.DeliveryRow;
import io.tedeesync.store.WebhookEndpointRow;
import io.tedeesync.store.WebhookStore;
import io.tedeesync.sync.SyncEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Managing the endpoints: create (with a new secret, shown once), change, rotate the secret (the old one signs
 * too for {@link #ROTATION_OVERLAP}), delete, and look at and retry deliveries. Every change wakes the
 * dispatcher. Secrets reach the store only sealed. A change or rotation is a read-modify-write made from the
 * row as read ({@link WebhookStore#updateEndpoint}): when the row changed meanwhile (the dispatcher disabled it,
 * another request changed it) it is read and made again, {@value #ATTEMPTS} times at most. Thread-safe.
 */
public final class WebhookEndpoints {
    /** How long the secret before a rotation keeps signing. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
    /** The reason of an endpoint disabled through the API (not a warning, unlike the service's own reasons). */
    public static final String DISABLED_BY_API = "disabled through the API";
    /** The event types an endpoint may ask for: the engine's events by their simple names. */
    public static final Set<String> EVENT_TYPES = eventTypes();
    static final int MAX_DESCRIPTION = 500;
    static final int MAX_ACCOUNTS = 1000;
    /** Read-modify-writes of one request before it answers {@code changed_meanwhile}. */
    static final int ATTEMPTS = 5;

    private final WebhookStore store;
    private final EndpointSecrets secrets;
    private final TargetPolicy policy;
    private final Clock clock;
    private final SecureRandom random;
    private final Runnable changed;

    WebhookEndpoints(WebhookStore store, EndpointSecrets secrets, TargetPolicy policy, Clock clock, SecureRandom random, Runnable changed) {
        this.store = store;
        this.secrets = secrets;
        this.policy = policy;
        this.clock = clock;
        this.random = random;
        this.changed = changed;
    }

    public List<EndpointView> list() {
        Map<String, Long> pending = store.pendingCounts();
        return store.endpoints().stream().map(row -> new EndpointView(row, pending.getOrDefault(row.id(), 0L))).toList();
    }

    public EndpointView get(String id) {
        return view(row(id));
    }

    public CreatedEndpoint create(EndpointDraft draft) {
        String url = policy.check(draft.url()).toString();
        List<String> eventTypes = eventTypes(draft.eventTypes());
        List<String> accounts = accounts(draft.accounts());
        String description = description(draft.description());
        String id = newId();
        String secret = WebhookSecret.generate(random);
        Instant now = clock.instant();
        WebhookEndpointRow row = store.insertEndpoint(new WebhookEndpointRow(id, url, description, eventTypes, accounts,
                secrets.seal(id, secret), null, null, true, null, null, null, 0, now, now));
        changed.run();
        return new CreatedEndpoint(new EndpointView(row, 0), secret);
    }

    public EndpointView change(String id, EndpointChange change) {
        if (change.isEmpty()) {
            throw invalid("nothing to change: give url, eventTypes, accounts, description or enabled");
        }
        String url = change.url() == null ? null : policy.check(change.url()).toString();
        List<String> eventTypes = change.eventTypes() == null ? null : eventTypes(change.eventTypes().value());
        List<String> accounts = change.accounts() == null ? null : accounts(change.accounts().value());
        String description = change.description() == null ? null : description(change.description().value());
        Instant now = clock.instant();
        update(id, row -> {
            WebhookEndpointRow changed = row;
            if (url != null) {
                changed = changed.withUrl(url);
            }
            if (change.eventTypes() != null) {
                changed = changed.withEventTypes(eventTypes);
            }
            if (change.accounts() != null) {
                changed = changed.withAccounts(accounts);
            }
            if (change.description() != null) {
                changed = changed.withDescription(description);
            }
            if (change.enabled() != null && change.enabled() != changed.enabled()) {
                changed = changed.withEnabled(change.enabled(), DISABLED_BY_API, now);
            }
            return changed.withUpdatedAt(now);
        });
        if (Boolean.TRUE.equals(change.enabled())) {
            store.markHealthy(id, now); // enabled: its failing run, if any, is forgotten
        }
        changed.run();
        return get(id);
    }

    /** A new secret; the current one keeps signing beside it for {@link #ROTATION_OVERLAP}. */
    public CreatedEndpoint rotateSecret(String id) {
        String secret = WebhookSecret.generate(random);
        String sealed = secrets.seal(id, secret);
        Instant now = clock.instant();
        update(id, row -> row.withSecrets(sealed, row.sealedSecret(), now.plus(ROTATION_OVERLAP)).withUpdatedAt(now));
        changed.run();
        return new CreatedEndpoint(get(id), secret);
    }

    public void delete(String id) {
        if (!store.deleteEndpoint(id)) {
            throw notFound(id);
        }
        changed.run();
    }

    /** The endpoint's deliveries, newest first, below {@code beforeEventId}. */
    public List<DeliveryView> deliveries(String id, long beforeEventId, int limit) {
        row(id);
        List<DeliveryRow> page = store.deliveries(id, beforeEventId, limit);
        Map<Long, List<AttemptRow>> attempts = store.attempts(id, page.stream().map(DeliveryRow::eventId).toList());
        List<DeliveryView> views = new ArrayList<>();
        for (DeliveryRow delivery : page) {
            views.add(new DeliveryView(delivery, attempts.getOrDefault(delivery.eventId(), List.of())));
        }
        return views;
    }

    /**
     * One more attempt of a delivery: pending again, due now, or after an older delivery of its lock that is still
     * pending. Its retry period still counts from when it was queued: if this attempt fails past it, it is given up.
     *
     * @return the delivery as it is now ({@code nextAttemptAt} null: it waits for an older one of its lock)
     */
    public DeliveryRow retry(String id, long deliveryId) {
        row(id);
        if (!store.retry(id, deliveryId, clock.instant())) {
            throw new WebhookEndpointException(WebhookEndpointException.Reason.NOT_FOUND, "endpoint " + id + " has no delivery " + printable(
                    Long.toString(deliveryId)));
        }
        changed.run();
        return store.delivery(id, deliveryId).orElseThrow(() -> notFound(id));
    }

    public WebhooksHealth health() {
        List<WebhookEndpointRow> endpoints = store.endpoints();
        long pending = store.pendingCounts().values().stream().mapToLong(Long::longValue).sum();
        return new WebhooksHealth(endpoints.size(), endpoints.stream().filter(row -> !row.enabled()).toList(), pending);
    }

    private EndpointView view(WebhookEndpointRow row) {
        return new EndpointView(row, store.pendingCounts().getOrDefault(row.id(), 0L));
    }

    private WebhookEndpointRow row(String id) {
        return store.endpoint(id).orElseThrow(() -> notFound(id));
    }

    /** Applies {@code change} to the row as stored, again on a fresh read while the row changed meanwhile. */
    private void update(String id, java.util.function.UnaryOperator<WebhookEndpointRow> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            WebhookEndpointRow row = row(id);
            if (store.updateEndpoint(change.apply(row), row.updatedAt())) {
                return;
            }
        }
        row(id); // gone meanwhile: 404
        throw new WebhookEndpointException(WebhookEndpointException.Reason.CHANGED_MEANWHILE, "webhook endpoint " + printable(id)
                + " kept changing meanwhile (" + ATTEMPTS + " tries); nothing was changed: read it and try again");
    }

    private String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return "ep_" + HexFormat.of().formatHex(bytes);
    }

    private static List<String> eventTypes(List<String> given) {
        if (given == null) {
            return null;
        }
        if (given.isEmpty()) {
            throw invalid("eventTypes must name at least one type; leave it out (or null) for all");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : given) {
            if (type == null || !EVENT_TYPES.contains(type)) {
                throw invalid("eventTypes: unknown type '" + printable(type) + "' (known: " + String.join(", ", EVENT_TYPES) + ")");
            }
            types.add(type);
        }
        return List.copyOf(types);
    }

    private static List<String> accounts(List<String> given) {
        if (given == null) {
            return null;
        }
        if (given.isEmpty() || given.size() > MAX_ACCOUNTS) {
            throw invalid("accounts must name between 1 and " + MAX_ACCOUNTS + " accounts; leave it out (or null) for all");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : given) {
            if (name == null || name.isBlank()) {
                throw invalid("accounts: an account name must not be blank");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static String description(String given) {
        if (given != null && given.length() > MAX_DESCRIPTION) {
            throw invalid("description is longer than " + MAX_DESCRIPTION + " characters");
        }
        return given == null || given.isBlank() ? null : given;
    }

    private static String printable(String text) {
        return text == null ? "null" : text.length() > 60 ? text.substring(0, 60).replaceAll("[^A-Za-z0-9_]", "?") + "..."
                : text.replaceAll("[^A-Za-z0-9_]", "?");
    }

    private static Set<String> eventTypes() {
        Set<String> names = new TreeSet<>();
        collect(SyncEvent.class, names);
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    private static void collect(Class<?> type, Set<String> names) {
        if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                collect(sub, names);
            }
        } else {
            names.add(type.getSimpleName());
        }
    }

    private static WebhookEndpointException notFound(String id) {
        return new WebhookEndpointException(WebhookEndpointException.Reason.NOT_FOUND, "no webhook endpoint " + printable(id));
    }

    private static WebhookEndpointException invalid(String message) {
        return new WebhookEndpointException(WebhookEndpointException.Reason.INVALID, message);
    }
}
