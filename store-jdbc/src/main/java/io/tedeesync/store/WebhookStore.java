package io.tedeesync.store;

import io.tedeesync.store.internal.DeliveryTable;
import io.tedeesync.store.internal.EndpointTable;
import io.tedeesync.store.internal.EventLogTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Outbound webhook endpoints and their durable delivery queue (from {@link LockStore#webhooks()}): the
 * endpoints with their sealed signing secrets, one delivery per (endpoint, event) with its payload and
 * state, and every attempt. Events reach the queue through {@link #fanOut}, which reads the event log
 * after the endpoint's cursor and moves the cursor in the same transaction, so a crash neither loses nor
 * doubles a delivery. Per endpoint, the deliveries of one lock are handed out in event order by
 * {@link #due}: a delivery waits while an older one of its lock is pending.
 *
 * <p>Each method is one transaction; a failure is a {@link StoreException} and changes nothing; its
 * message never quotes a sealed secret (current or previous). Every write to an endpoint's row moves its
 * {@code updatedAt} forward, so that {@link #updateEndpoint} can tell a row changed meanwhile. On SQLite
 * the writes take the store's write lock (one writer); on PostgreSQL they run beside the engine's group
 * commits. Thread-safe.
 */
public final class WebhookStore {
    private final LockStore store;

    WebhookStore(LockStore store) {
        this.store = store;
    }

    /** Every endpoint, oldest first (then by id). */
    public List<WebhookEndpointRow> endpoints() {
        return store.read("read the webhook endpoints", EndpointTable::loadAll);
    }

    public Optional<WebhookEndpointRow> endpoint(String id) {
        Objects.requireNonNull(id, "id");
        return store.read("read webhook endpoint " + id, connection -> EndpointTable.load(connection, id));
    }

    /**
     * Adds the endpoint with its cursor at the log's highest event id now, whatever {@code row.cursor()}
     * says: it gets the events that come after, not the history.
     *
     * @return the row as stored
     * @throws StoreException when the write failed, e.g. the id is taken
     */
    public WebhookEndpointRow insertEndpoint(WebhookEndpointRow row) {
        Objects.requireNonNull(row, "row");
        return store.writeBesideEngine("add webhook endpoint " + row.id(), secrets(row), connection -> {
            long cursor = EventLogTable.highestId(connection);
            EndpointTable.insert(connection, row, cursor);
            return EndpointTable.load(connection, row.id()).orElseThrow();
        });
    }

    /**
     * Writes every field of the endpoint but its id, cursor, failing run ({@link #markFailing}, {@link #markHealthy})
     * and creation time, if the stored row's {@code updatedAt} is still {@code previousUpdatedAt} (the one the change
     * was made from): optimistic, so that a disable, a failing run or another change made meanwhile is not undone.
     * The stored {@code updatedAt} becomes {@code row.updatedAt()}, or a millisecond past the previous one if that is
     * not later.
     *
     * @return false when the endpoint changed meanwhile or is gone (nothing is written): read it again
     */
    public boolean updateEndpoint(WebhookEndpointRow row, Instant previousUpdatedAt) {
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(previousUpdatedAt, "previousUpdatedAt");
        return store.writeBesideEngine("update webhook endpoint " + row.id(), secrets(row),
                connection -> EndpointTable.update(connection, row, previousUpdatedAt));
    }

    /** Deletes the endpoint with every delivery and attempt of it; false when there was none. */
    public boolean deleteEndpoint(String id) {
        Objects.requireNonNull(id, "id");
        return store.writeBesideEngine("delete webhook endpoint " + id, List.of(), connection -> {
            DeliveryTable.deleteEndpoint(connection, id);
            return EndpointTable.delete(connection, id);
        });
    }

    /** Starts the endpoint's run of failures at {@code since}, unless one is running (its earlier start stays). */
    public void markFailing(String id, Instant since) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(since, "since");
        store.writeBesideEngine("mark webhook endpoint " + id + " failing", List.of(), connection -> {
            EndpointTable.markFailing(connection, id, since);
            return null;
        });
    }

    /** Ends the endpoint's run of failures (an attempt succeeded, or it was enabled again) at {@code at}. */
    public void markHealthy(String id, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        store.writeBesideEngine("mark webhook endpoint " + id + " healthy", List.of(), connection -> {
            EndpointTable.markHealthy(connection, id, at);
            return null;
        });
    }

    /** Disables the endpoint for {@code reason}, unless it is disabled already; its queue and cursor stay. */
    public void disable(String id, String reason, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        store.writeBesideEngine("disable webhook endpoint " + id, List.of(), connection -> {
            EndpointTable.disable(connection, id, reason, at);
            return null;
        });
    }

    /**
     * Reads up to {@code limit} events after the endpoint's cursor, queues a delivery (payload from
     * {@code payload}) for each that {@code matches}, and moves the cursor to the last event read, all in
     * one transaction. A delivery already queued for an event is kept as it is; the cursor never moves back.
     *
     * @return the number of events read: 0 when the endpoint is caught up, disabled or gone
     */
    public int fanOut(String endpointId, Predicate<StoredEvent> matches, Function<StoredEvent, String> payload, Instant now, int limit) {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(matches, "matches");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(now, "now");
        return store.writeBesideEngine("queue the deliveries of webhook endpoint " + endpointId, List.of(), connection -> {
            Optional<WebhookEndpointRow> endpoint = EndpointTable.load(connection, endpointId);
            if (endpoint.isEmpty() || !endpoint.get().enabled()) {
                return 0;
            }
            List<StoredEvent> events = EventLogTable.query(connection, EventQuery.after(endpoint.get().cursor(), limit));
            if (events.isEmpty()) {
                return 0;
            }
            List<DeliveryRow> deliveries = new ArrayList<>();
            for (StoredEvent event : events) {
                if (matches.test(event)) {
                    deliveries.add(new DeliveryRow(endpointId, event.id(), event.type(), orderingKey(event), payload.apply(event),
                            DeliveryState.PENDING, 0, now, now, null, null, null));
                }
            }
            DeliveryTable.insert(connection, deliveries, now);
            EndpointTable.advanceCursor(connection, endpointId, events.get(events.size() - 1).id());
            return events.size();
        });
    }

    /**
     * The endpoint's deliveries that may be attempted now: pending, due at or before {@code now}, each the
     * oldest pending one of its lock, none of a key in {@code busyKeys} (in flight); oldest event first, at
     * most {@code limit}.
     */
    public List<DeliveryRow> due(String endpointId, Instant now, Set<String> busyKeys, int limit) {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(now, "now");
        Set<String> busy = Set.copyOf(busyKeys);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        return store.read("read the due deliveries of webhook endpoint " + endpointId,
                connection -> DeliveryTable.due(connection, endpointId, now, busy, limit));
    }

    /**
     * Gives a next attempt time ({@code now}) to every pending delivery of the endpoint that has none and nothing older
     * of its key pending: the repair of a head lost to a race (a delivery queued behind one that finished in a
     * transaction that could not see it yet). For the dispatcher, now and then (e.g. once a minute per endpoint), with
     * the real time.
     *
     * @return how many deliveries were repaired
     */
    public int repairOrder(String endpointId, Instant now) {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(now, "now");
        return store.writeBesideEngine("repair the delivery order of webhook endpoint " + endpointId, List.of(),
                connection -> DeliveryTable.unblock(connection, endpointId, now));
    }

    /**
     * When the endpoint's next pending delivery whose key is not in {@code busyKeys} (in flight) is due: the earliest
     * next attempt time among them (it may be past), or empty when none has one.
     */
    public Optional<Instant> nextDue(String endpointId, Set<String> busyKeys) {
        Objects.requireNonNull(endpointId, "endpointId");
        Set<String> busy = Set.copyOf(busyKeys);
        return store.read("read the next due delivery of webhook endpoint " + endpointId,
                connection -> DeliveryTable.nextDue(connection, endpointId, busy));
    }

    /**
     * Stores the attempt and the delivery's new state in one transaction; a delivery that finished
     * (delivered or given up) lets the next one of its lock become due at once.
     *
     * @return false when the delivery is gone (its endpoint was deleted); nothing is stored then
     */
    public boolean recordAttempt(AttemptRow attempt, DeliveryRow updated) {
        return !recordAttempts(List.of(new RecordedAttempt(attempt, updated))).isEmpty();
    }

    /**
     * As {@link #recordAttempt} for each, all in one transaction (one commit for a round of attempts rather than
     * one per attempt: with ten endpoints, those commits were most of the dispatcher's time).
     *
     * @return the ones stored: those whose delivery still exists, in order
     */
    public List<RecordedAttempt> recordAttempts(List<RecordedAttempt> attempts) {
        List<RecordedAttempt> all = List.copyOf(attempts);
        if (all.isEmpty()) {
            return List.of();
        }
        return store.writeBesideEngine("record " + all.size() + " webhook delivery attempt(s)", List.of(), connection -> {
            List<RecordedAttempt> stored = new ArrayList<>(all.size());
            for (RecordedAttempt recorded : all) {
                if (DeliveryTable.record(connection, recorded.attempt(), recorded.delivery())) {
                    stored.add(recorded);
                }
            }
            return List.copyOf(stored);
        });
    }

    /** The endpoint's deliveries with an event id below {@code beforeEventId}, newest first, at most {@code limit}. */
    public List<DeliveryRow> deliveries(String endpointId, long beforeEventId, int limit) {
        Objects.requireNonNull(endpointId, "endpointId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        return store.read("read the deliveries of webhook endpoint " + endpointId,
                connection -> DeliveryTable.page(connection, endpointId, beforeEventId, limit));
    }

    public Optional<DeliveryRow> delivery(String endpointId, long eventId) {
        Objects.requireNonNull(endpointId, "endpointId");
        return store.read("read delivery " + eventId + " of webhook endpoint " + endpointId,
                connection -> DeliveryTable.load(connection, endpointId, eventId));
    }

    /** The attempts of one delivery, first first. */
    public List<AttemptRow> attempts(String endpointId, long eventId) {
        Objects.requireNonNull(endpointId, "endpointId");
        return store.read("read the attempts of delivery " + eventId + " of webhook endpoint " + endpointId,
                connection -> DeliveryTable.attempts(connection, endpointId, eventId));
    }

    /** The attempts of those deliveries of the endpoint (one query per page), first first, by event id; none: absent. */
    public Map<Long, List<AttemptRow>> attempts(String endpointId, Collection<Long> eventIds) {
        Objects.requireNonNull(endpointId, "endpointId");
        List<Long> ids = List.copyOf(eventIds);
        if (ids.isEmpty()) {
            return Map.of();
        }
        return store.read("read the attempts of " + ids.size() + " delivery(ies) of webhook endpoint " + endpointId,
                connection -> DeliveryTable.attempts(connection, endpointId, ids));
    }

    /**
     * Makes the delivery pending again, whatever it was (given up, waiting for a retry, or delivered: then it is sent
     * again): due at {@code now}, unless an older delivery of its lock is pending, then it waits its turn (no next
     * attempt time; it gets one when the older one finishes). It is one more attempt: its attempts and the time it was
     * queued stay, so if that attempt fails, the retry schedule gives it up once its retry period (counted from when
     * it was queued) has passed.
     *
     * @return false when there is no such delivery
     */
    public boolean retry(String endpointId, long eventId, Instant now) {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(now, "now");
        return store.writeBesideEngine("retry delivery " + eventId + " of webhook endpoint " + endpointId, List.of(),
                connection -> DeliveryTable.retry(connection, endpointId, eventId, now));
    }

    /** Pending deliveries per endpoint id; an endpoint with none is absent. */
    public Map<String, Long> pendingCounts() {
        return store.read("count the pending webhook deliveries", DeliveryTable::pendingCounts);
    }

    /** Deletes the deliveries delivered or given up before {@code cutoff}, with their attempts; returns how many. */
    public int pruneFinishedBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return store.writeBesideEngine("delete webhook deliveries finished before " + cutoff, List.of(),
                connection -> DeliveryTable.deleteFinishedBefore(connection, cutoff));
    }

    /** What is delivered in event order: the lock, or the account for an account event. */
    static String orderingKey(StoredEvent event) {
        return event.serialNumber() != null ? event.serialNumber() : "account:" + event.account();
    }

    @Override
    public String toString() {
        return "WebhookStore[" + store.describe() + "]";
    }

    /** The sealed secrets of the row (current and previous), for a failure message to leave out. */
    private static List<String> secrets(WebhookEndpointRow row) {
        return java.util.Arrays.asList(row.sealedSecret(), row.sealedPreviousSecret());
    }
}
