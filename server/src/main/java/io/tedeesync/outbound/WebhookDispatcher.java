package io.tedeesync.outbound;

import io.tedeesync.server.HumanDuration;
import io.tedeesync.store.AttemptRow;
import io.tedeesync.store.DeliveryRow;
import io.tedeesync.store.DeliveryState;
import io.tedeesync.store.RecordedAttempt;
import io.tedeesync.store.WebhookEndpointRow;
import io.tedeesync.store.WebhookStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the queue in the store. One thread ({@code tedee-sync-webhooks}) does all the planning and every
 * store call: on a wake (new events, an API change, an attempt that ended) or at the next due time it gives
 * each enabled endpoint it delivers ({@link EndpointPlacement}) its new events ({@link WebhookStore#fanOut}),
 * then starts what is due ({@link WebhookStore#due}): at most {@code perEndpointConcurrency} attempts in
 * flight per endpoint and one per lock, so events of one lock arrive in order and a receiver that hangs holds
 * only its own places. The attempts themselves run on {@link WebhookSender}'s non-blocking client.
 *
 * <p>Outcomes: 2xx delivers; {@code 410 Gone} disables the endpoint (its deliveries stay pending); anything
 * else is retried on the {@link RetrySchedule} until {@code retryFor} has passed since the delivery was queued,
 * then it is failed; an endpoint with no success for {@code retryFor} is disabled. A {@code Retry-After} on 429
 * or 503 pauses the whole endpoint (in memory: every delivery of it waits) as well as setting the delivery's
 * next attempt. A stop abandons attempts in flight: they stay pending and are sent again
 * after the restart (at-least-once). Thread-safe.
 */
final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final String GONE = "the receiver answered 410 Gone";
    /** Events given to one endpoint per fan-out call, and calls per round before the others get their turn. */
    private static final int FAN_OUT_BATCH = 200;
    private static final int FAN_OUT_ROUNDS = 5;
    /** Looked at this often whatever else happens: changes made by other instances, a clock moved forward. */
    private static final Duration POLL = Duration.ofSeconds(10);
    /** Tries to record a batch of successes before giving up on it (a busy database, a deadlock with a retry). */
    private static final int RECORD_TRIES = 2;
    /** How long a stop waits for the successes not recorded yet to be recorded. */
    private static final Duration FLUSH_AT_STOP = Duration.ofSeconds(5);
    /** After the store failed. */
    private static final Duration STORE_RETRY = Duration.ofSeconds(5);
    /** How often each endpoint's delivery order is repaired ({@link WebhookStore#repairOrder}). */
    private static final Duration REPAIR_EVERY = Duration.ofMinutes(1);
    /** When something due could not start in this round (more due than one look reads). */
    private static final Duration SOON = Duration.ofSeconds(1);

    private final WebhookStore store;
    private final EndpointSecrets secrets;
    private final WebhookSender sender;
    private final RetrySchedule schedule;
    private final OutboundSettings settings;
    private final EndpointPlacement placement;
    private final OutboundMetrics metrics;
    private final Clock clock;
    /** The event log's highest id as this instance knows it: an endpoint whose cursor is there has nothing to fan out. */
    private final java.util.function.LongSupplier logHead;
    private final ScheduledThreadPoolExecutor thread;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    /** Attempts in flight per endpoint, by ordering key. The dispatcher thread's alone. */
    private final Map<String, Map<String, Long>> inFlight = new HashMap<>();
    /** Endpoints marked failing by this dispatcher since their row was read (a success must heal them). The thread's alone. */
    private final Set<String> failing = new HashSet<>();
    /**
     * Endpoints this dispatcher disabled for failing too long, since their row was read: a success still in flight
     * then must not clear the failing run the reason names. The thread's alone.
     */
    private final Set<String> disabledHere = new HashSet<>();
    /** Successes not recorded yet, in the order they ended. The dispatcher thread's alone. */
    private final List<Delivered> delivered = new java.util.ArrayList<>();
    /** Endpoints paused by a {@code Retry-After}, until when. The dispatcher thread's alone. */
    private final Map<String, Instant> pausedUntil = new HashMap<>();
    /** When each endpoint's order was last repaired. The dispatcher thread's alone. */
    private final Map<String, Instant> repairedAt = new HashMap<>();
    private ScheduledFuture<?> timer;
    private Instant timerAt;
    private volatile boolean closed;
    /** Set when the stop begins: no new round (no new attempt); what ends is still recorded until {@link #closed}. */
    private volatile boolean stopping;

    WebhookDispatcher(WebhookStore store, EndpointSecrets secrets, WebhookSender sender, RetrySchedule schedule, OutboundSettings settings,
            EndpointPlacement placement, OutboundMetrics metrics, Clock clock, java.util.function.LongSupplier logHead) {
        this.store = store;
        this.logHead = logHead;
        this.secrets = secrets;
        this.sender = sender;
        this.schedule = schedule;
        this.settings = settings;
        this.placement = placement;
        this.metrics = metrics;
        this.clock = clock;
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread named = new Thread(runnable, "tedee-sync-webhooks");
            named.setDaemon(true);
            return named;
        });
        thread.setRemoveOnCancelPolicy(true);
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Looks at the queue soon (at once if the thread is idle); cheap, never blocks, callable from any thread. */
    void wake() {
        if (closed || !wakeQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(this::round);
        } catch (RejectedExecutionException stopped) {
            wakeQueued.set(false);
        }
    }

    /** One round over the endpoints; plans the next. Runs on the dispatcher thread. */
    private void round() {
        wakeQueued.set(false);
        if (closed || stopping) {
            return;
        }
        Instant now = clock.instant();
        Instant next = now.plus(POLL);
        try {
            Set<String> seen = new HashSet<>();
            for (WebhookEndpointRow endpoint : store.endpoints()) {
                seen.add(endpoint.id());
                if (endpoint.enabled()) {
                    disabledHere.remove(endpoint.id()); // enabled again since
                }
                if (!endpoint.enabled() || !placement.deliversHere(endpoint.id())) {
                    continue;
                }
                Instant due = serve(endpoint, now);
                if (due != null && due.isBefore(next)) {
                    next = due;
                }
            }
            inFlight.keySet().removeIf(id -> !seen.contains(id) && inFlight.get(id).isEmpty());
            pausedUntil.keySet().retainAll(seen);
            failing.retainAll(seen);
            disabledHere.retainAll(seen);
            repairedAt.keySet().retainAll(seen);
        } catch (RuntimeException e) {
            LOG.warn("webhook deliveries: the store failed ({}); trying again in {} s", e.getMessage(), STORE_RETRY.toSeconds());
            next = now.plus(STORE_RETRY);
        } catch (Error e) {
            LOG.error("webhook deliveries: unexpected failure", e);
            next = now.plus(STORE_RETRY);
        }
        plan(next, now);
    }

    /** Fans out and starts what is due for one endpoint; returns when it next needs a look (null: on a wake only). */
    private Instant serve(WebhookEndpointRow endpoint, Instant now) {
        String id = endpoint.id();
        boolean moreToRead = false;
        for (int round = 0; endpoint.cursor() < logHead.getAsLong(); round++) {
            int read = store.fanOut(id, DeliveryPayload.matcher(endpoint), DeliveryPayload::body, now, FAN_OUT_BATCH);
            if (read < FAN_OUT_BATCH) {
                break;
            }
            if (round + 1 == FAN_OUT_ROUNDS) {
                moreToRead = true; // read on after the other endpoints had their turn; what is due goes now
                break;
            }
        }
        Instant repaired = repairedAt.get(id);
        if (repaired == null || !now.isBefore(repaired.plus(REPAIR_EVERY))) {
            repairedAt.put(id, now);
            store.repairOrder(id, now);
        }
        Instant paused = pausedUntil.get(id);
        if (paused != null && paused.isAfter(now)) {
            return moreToRead ? now : paused; // the receiver asked for a pause: nothing of it is attempted before then
        }
        pausedUntil.remove(id);
        Map<String, Long> busy = inFlight.computeIfAbsent(id, key -> new HashMap<>());
        int free = settings.perEndpointConcurrency() - busy.size();
        if (free > 0) {
            for (DeliveryRow delivery : store.due(id, now, Set.copyOf(busy.keySet()), free)) {
                start(endpoint, delivery, busy);
            }
        }
        if (moreToRead) {
            return now;
        }
        if (busy.size() >= settings.perEndpointConcurrency()) {
            return null; // an attempt that ends wakes the dispatcher
        }
        // The earliest of the keys not in flight; one due already could not start in this round (more due than read).
        Optional<Instant> next = store.nextDue(id, Set.copyOf(busy.keySet()));
        return next.map(at -> at.isAfter(now) ? at : now.plus(SOON)).orElse(null);
    }

    private void start(WebhookEndpointRow endpoint, DeliveryRow delivery, Map<String, Long> busy) {
        busy.put(delivery.orderingKey(), delivery.eventId());
        int attempt = delivery.attempts() + 1;
        Instant at = clock.instant();
        List<String> signing;
        try {
            signing = secrets.signing(endpoint, at);
        } catch (RuntimeException e) {
            LOG.warn("webhook endpoint {}: {}", endpoint.id(), e.getMessage());
            finish(endpoint, delivery, attempt, at, WebhookSender.Outcome.refused("the signing secret does not open: " + e.getMessage(), 0));
            return;
        }
        sender.send(URI.create(endpoint.url()), delivery, signing, at).whenComplete((outcome, failure) -> {
            WebhookSender.Outcome ended = outcome != null ? outcome
                    : WebhookSender.Outcome.error("unexpected failure: " + failure.getClass().getSimpleName(), 0);
            try {
                thread.execute(() -> finish(endpoint, delivery, attempt, at, ended));
            } catch (RejectedExecutionException stopped) {
                // stopping: the delivery stays pending in the store and is sent again after the restart
            }
        });
    }

    /**
     * An attempt ended: records it, and decides what comes next. Runs on the dispatcher thread. A success is
     * recorded with the others that ended meanwhile, in one transaction ({@link #recordDelivered}); its lock stays
     * in flight until then, so its delivery (still pending in the store) is not handed out again.
     */
    private void finish(WebhookEndpointRow endpoint, DeliveryRow delivery, int attempt, Instant at, WebhookSender.Outcome outcome) {
        if (closed) {
            return;
        }
        metrics.attempt(outcome.kind(), Duration.ofMillis(outcome.latencyMillis()));
        Instant now = clock.instant();
        if (outcome.succeeded()) {
            delivered.add(new Delivered(endpoint, new RecordedAttempt(new AttemptRow(endpoint.id(), delivery.eventId(), attempt, at,
                    outcome.status(), outcome.latencyMillis(), null),
                    delivery.withOutcome(DeliveryState.DELIVERED, attempt, null, now, outcome.status(), null))));
            if (delivered.size() == 1) {
                try {
                    thread.execute(this::recordDelivered); // after the attempts that ended meanwhile, queued before it
                } catch (RejectedExecutionException stopped) {
                    // stopping: the delivery stays pending in the store and is sent again after the restart
                }
            }
            return;
        }
        Map<String, Long> busy = inFlight.get(endpoint.id());
        if (busy != null) {
            busy.remove(delivery.orderingKey(), delivery.eventId());
        }
        if (outcome.retryAfter() != null) {
            pause(endpoint.id(), now, outcome.retryAfter());
        }
        AttemptRow attemptRow = new AttemptRow(endpoint.id(), delivery.eventId(), attempt, at, outcome.status(), outcome.latencyMillis(),
                outcome.error());
        try {
            if (outcome.gone()) {
                store.recordAttempt(attemptRow, delivery.withOutcome(DeliveryState.PENDING, attempt, now, null, outcome.status(), outcome.error()));
                store.disable(endpoint.id(), GONE, now);
                LOG.warn("webhook endpoint {} disabled: {} (enable it again with PATCH {{\"enabled\": true}})", endpoint.id(), GONE);
            } else {
                failed(endpoint, delivery, attempt, attemptRow, outcome, now);
            }
        } catch (RuntimeException e) {
            // Not recorded: the delivery stays as it was, pending, and is attempted again.
            LOG.warn("webhook endpoint {}: could not record an attempt ({}); it is made again", endpoint.id(), e.getMessage());
        }
        wake();
    }

    /** Records the successes that ended since the last call, in one transaction; then their locks are free again. */
    private void recordDelivered() {
        List<Delivered> batch = List.copyOf(delivered);
        delivered.clear();
        if (closed || batch.isEmpty()) {
            return;
        }
        List<RecordedAttempt> attempts = batch.stream().map(Delivered::recorded).toList();
        List<RecordedAttempt> stored = null;
        for (int tries = 1; stored == null && tries <= RECORD_TRIES; tries++) {
            try {
                stored = store.recordAttempts(attempts);
            } catch (RuntimeException e) {
                if (tries == RECORD_TRIES) {
                    // Not recorded: the deliveries stay pending and are sent again (at-least-once).
                    LOG.warn("webhook deliveries: could not record {} delivered attempt(s) ({}); they are sent again", batch.size(),
                            e.getMessage());
                }
            }
        }
        if (stored != null) {
            stored.forEach(recorded -> metrics.finished("delivered"));
            heal(batch);
        }
        for (Delivered one : batch) {
            Map<String, Long> busy = inFlight.get(one.endpoint().id());
            if (busy != null) {
                busy.remove(one.recorded().delivery().orderingKey(), one.recorded().delivery().eventId());
            }
        }
        wake();
    }

    /** Ends the failing run of each endpoint a success of the batch went to, if it may have one. */
    private void heal(List<Delivered> batch) {
        Instant now = clock.instant();
        Set<String> healed = new HashSet<>();
        for (Delivered one : batch) {
            String id = one.endpoint().id();
            if ((one.endpoint().failingSince() != null || failing.contains(id)) && !disabledHere.contains(id) && healed.add(id)) {
                try {
                    store.markHealthy(id, now);
                    failing.remove(id);
                } catch (RuntimeException e) {
                    LOG.warn("webhook endpoint {}: could not mark it healthy ({}); the next success does", id, e.getMessage());
                }
            }
        }
    }

    /** A success waiting for {@link #recordDelivered}. */
    private record Delivered(WebhookEndpointRow endpoint, RecordedAttempt recorded) {
    }

    private void failed(WebhookEndpointRow endpoint, DeliveryRow delivery, int attempt, AttemptRow attemptRow, WebhookSender.Outcome outcome,
            Instant now) {
        Optional<Instant> next = schedule.next(attempt, delivery.createdAt(), now, outcome.retryAfter());
        DeliveryRow updated = next.isPresent()
                ? delivery.withOutcome(DeliveryState.PENDING, attempt, next.get(), null, outcome.status(), outcome.error())
                : delivery.withOutcome(DeliveryState.FAILED, attempt, null, now, outcome.status(), outcome.error());
        if (!store.recordAttempt(attemptRow, updated)) {
            return; // the endpoint was deleted meanwhile
        }
        if (next.isEmpty()) {
            metrics.finished("failed");
            LOG.warn("webhook endpoint {}: event {} given up after {} attempt(s) over {}: {}", endpoint.id(), delivery.eventId(), attempt,
                    settings.retryFor(), outcome.error());
        } else if (attempt == 1 && endpoint.failingSince() == null) {
            LOG.warn("webhook endpoint {}: delivery failed ({}); retrying", endpoint.id(), outcome.error());
        }
        store.markFailing(endpoint.id(), now);
        failing.add(endpoint.id());
        Optional<WebhookEndpointRow> row = store.endpoint(endpoint.id());
        if (row.isPresent() && row.get().enabled() && row.get().failingSince() != null
                && !row.get().failingSince().plus(settings.retryFor()).isAfter(now)) {
            String reason = "failing since " + row.get().failingSince() + " without a success for " + HumanDuration.format(settings.retryFor());
            store.disable(endpoint.id(), reason, now);
            disabledHere.add(endpoint.id());
            LOG.warn("webhook endpoint {} disabled: {} (enable it again with PATCH {{\"enabled\": true}})", endpoint.id(), reason);
        }
    }

    /** The receiver asked for {@code retryAfter}: none of the endpoint's deliveries starts before (at most {@code retryFor}). */
    private void pause(String endpointId, Instant now, Duration retryAfter) {
        Duration pause = retryAfter.compareTo(settings.retryFor()) > 0 ? settings.retryFor() : retryAfter;
        pausedUntil.merge(endpointId, now.plus(pause), (earlier, later) -> later.isAfter(earlier) ? later : earlier);
    }

    /** Sets the timer for {@code next}, unless one is set earlier already. */
    private void plan(Instant next, Instant now) {
        if (closed) {
            return;
        }
        if (timer != null && !timer.isDone() && timerAt != null && !timerAt.isAfter(next)) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        long delay = Math.max(0, Duration.between(now, next).toMillis());
        timerAt = next;
        try {
            timer = thread.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            timer = null;
        }
    }

    /** Stops: no new attempt starts; those in flight are abandoned (they stay pending). */
    @Override
    public void close() {
        // The successes that ended but are not recorded yet: recorded now, or they would be sent again after the restart.
        // Nothing new starts meanwhile; attempts that end meanwhile are still recorded.
        stopping = true;
        try {
            thread.submit(this::recordDelivered).get(FLUSH_AT_STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("webhook dispatcher: the last successes were not recorded at stop ({}); they are sent again", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the webhook dispatcher did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
    }
}
