package io.tedeesync.sync.internal;

import io.tedeesync.client.OperationType;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.client.webhook.LockStatusChanged;
import io.tedeesync.client.webhook.UnknownWebhook;
import io.tedeesync.client.webhook.WebhookNotification;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.CallHistory;
import io.tedeesync.sync.MergeResult;
import io.tedeesync.sync.Mirror;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.Observation;
import io.tedeesync.sync.OperationOutcome;
import io.tedeesync.sync.SyncSettings;
import io.tedeesync.sync.TaskScheduler;
import io.tedeesync.sync.WebhookOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of one account: asks {@link AccountState} for the next call, starts it without blocking
 * (one call of the account in flight at a time), and when the answer comes, on the engine's scheduler,
 * merges it ({@link MergePublisher}) and plans again. Thousands of accounts share the scheduler's few
 * threads and one HTTP client: an account waiting for an answer holds no thread, so a hanging account
 * delays no other. The first lock list goes through the engine's {@link CallGate}, so that thousands
 * of accounts starting together spread out. Right before each call it asks the engine's call permit;
 * refused, it sends nothing and plans again a second later.
 *
 * <p>Thread-safe: state is guarded by one monitor, never held during a call or a listener delivery
 * (operation futures are completed under it: their callbacks must be quick and must not call back into
 * the engine synchronously).
 */
public final class AccountWorker {
    private static final Logger LOG = LoggerFactory.getLogger(AccountWorker.class);
    /** How long a webhook or a waiter waits for its changes to reach the listeners (a hung store must not hang everything). */
    public static final Duration DELIVERY_WAIT = Duration.ofSeconds(10);
    /** How long an account whose call was not permitted waits before it plans (and asks) again. */
    public static final Duration NOT_PERMITTED_RETRY = Duration.ofSeconds(1);

    private final String account;
    private final SyncSettings settings;
    private final Mirror mirror;
    private final AccountState state;
    private final AccountCalls calls;
    private final MergePublisher publisher;
    private final Answers answers;
    private final CallPermit callPermit;
    private final Clock clock;
    private final TaskScheduler scheduler;
    private final EventOutbox outbox;
    private final CallGate gate;
    private final Duration callDeadline;
    private final Object guard = new Object();

    private boolean running;
    private boolean closed;
    /** What an operation asked for after {@link #close} is told. */
    private String closedAs;
    private TaskScheduler.Cancellable wake;
    private Instant wakeAt;

    /** What the engine gives every account: shared by all of them. */
    public record Shared(SyncSettings settings, Clock clock, TaskScheduler scheduler, Random random, EventOutbox outbox,
            LockDirectory directory, CallGate gate, Duration callDeadline, CallPermit callPermit) {
    }

    /**
     * What {@link #remove} leaves: the last batch it published (nothing is published after), its calls'
     * history then, and when no call of it starts any more (one may be being handed to the client).
     */
    public record Removal(long lastPublished, CallHistory history, CompletableFuture<Void> noCallStarts) {
    }

    /** A worker seeded with the locks a store knew and the history a previous owner's calls left (both may be empty). */
    public AccountWorker(String account, TedeeClient.Builder client, Duration syncInterval, Shared shared, Collection<MirroredLock> seed,
            CallHistory history) {
        this.account = account;
        this.settings = shared.settings();
        this.clock = shared.clock();
        this.scheduler = shared.scheduler();
        this.outbox = shared.outbox();
        this.gate = shared.gate();
        this.callPermit = shared.callPermit();
        this.mirror = new Mirror(account);
        mirror.seed(seed);
        RequestBudget budget = new RequestBudget(clock);
        TedeeClient built = client.requestListener(budget).build();
        this.calls = new AccountCalls(built);
        // A backstop behind the client's own timeout, never before it: the client ends a call first.
        Duration fromClient = built.requestTimeout().multipliedBy(4);
        this.callDeadline = shared.callDeadline().compareTo(fromClient) >= 0 ? shared.callDeadline() : fromClient;
        this.state = new AccountState(account, settings, syncInterval != null ? syncInterval : settings.syncInterval(), budget,
                shared.random(), serial -> mirror.bySerial(serial).orElse(null),
                serial -> mirror.bySerial(serial).map(MirroredLock::id).orElse(null));
        state.ledger().seed(history, clock.instant()); // before any call: the first plan already honours it
        this.publisher = new MergePublisher(account, mirror, outbox, shared.directory());
        this.answers = new Answers(account, mirror, state, publisher, callDeadline);
    }

    public String account() {
        return account;
    }

    public void start() {
        wakeAt(clock.instant());
    }

    /** Stops: whoever waits is told, no call starts after this returns, and a late answer is dropped. */
    public void close() {
        close("the engine stopped", "account " + account + " failed: the engine stopped");
    }

    /**
     * Closes it as {@link #close()} does, for an account taken out of the engine: whoever waits is told that
     * it was removed. Returns the sequence of the last batch it published (it publishes nothing after), its
     * calls' history, taken in the same step, and when the call it may be handing to the client is sent.
     */
    public Removal remove() {
        String removed = "account " + account + " was removed";
        synchronized (guard) {
            CallHistory history = state.ledger().history(clock.instant());
            return new Removal(close(removed, removed), history, state.ledger().whenNoneStarting());
        }
    }

    /** What its calls left so far, for a next owner (a sync on its way counts as made now). */
    public CallHistory history() {
        synchronized (guard) {
            return state.ledger().history(clock.instant());
        }
    }

    private long close(String why, String message) {
        synchronized (guard) {
            closed = true;
            closedAs = why;
            if (wake != null) {
                wake.cancel();
                wake = null;
            }
            state.fail(why, message);
            return publisher.publishedUpTo();
        }
    }

    /** A failed account calls again (its credentials were replaced); false when it had not failed. */
    public boolean resume() {
        synchronized (guard) {
            if (closed || !state.isFailed()) {
                return false;
            }
            state.resume();
        }
        wakeAt(clock.instant());
        return true;
    }

    /** The account's sync-all interval is now this (at least the floor: the caller checked); it plans again at once. */
    public void changeSyncInterval(Duration interval) {
        synchronized (guard) {
            state.baseInterval(interval);
        }
        wakeAt(clock.instant());
    }

    public List<MirroredLock> locks() {
        synchronized (guard) {
            return mirror.locks();
        }
    }

    public Optional<MirroredLock> lock(String serialNumber) {
        synchronized (guard) {
            return mirror.bySerial(serialNumber);
        }
    }

    public boolean knowsDevice(long id) {
        synchronized (guard) {
            return mirror.byId(id).isPresent();
        }
    }

    public AccountStatus status() {
        synchronized (guard) {
            return state.status(clock.instant(), mirror.size());
        }
    }

    /** How old a copy may be before it is stale: 3 x the interval in force, unless configured. */
    public Duration staleAfter() {
        synchronized (guard) {
            return settings.staleAfter(state.effectiveInterval(clock.instant()));
        }
    }

    /** Time until the account may sync again without breaking the 10 s floor or a pause Tedee asked for (zero: now). */
    public Duration syncAvailableIn() {
        synchronized (guard) {
            Instant now = clock.instant();
            Duration wait = Duration.between(now, state.nextSyncAllowedAt(now).isBefore(now) ? now : state.nextSyncAllowedAt(now));
            return wait.isNegative() ? Duration.ZERO : wait;
        }
    }

    /**
     * When the account may sync again without breaking the 10 s floor or a pause Tedee asked for: the later of
     * the two ends, in the past once it may; {@link Instant#EPOCH} when it never synced and is not paused. One
     * reading of the clock (for whether a pause still holds).
     */
    public Instant syncAllowedAt() {
        synchronized (guard) {
            Instant allowed = state.nextSyncAllowedAt(clock.instant());
            return allowed.isBefore(Instant.EPOCH) ? Instant.EPOCH : allowed;
        }
    }

    /** Syncs one lock as soon as its floor allows; joins a pending request for the same lock. */
    public CompletableFuture<MirroredLock> requestSync(String serialNumber) {
        CompletableFuture<MirroredLock> result;
        synchronized (guard) {
            if (closed || mirror.bySerial(serialNumber).isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("no lock " + serialNumber + " on account " + account));
            }
            if (state.isFailed()) {
                return CompletableFuture.failedFuture(new IllegalStateException("account " + account + " failed: " + state.failureReason()));
            }
            result = state.requestSync(serialNumber, clock.instant());
        }
        wakeAt(clock.instant());
        return result;
    }

    public CompletableFuture<OperationOutcome> operate(String serialNumber, OperationType type, UnlockMode mode) {
        PendingOperation operation;
        synchronized (guard) {
            Optional<MirroredLock> lock = mirror.bySerial(serialNumber);
            Optional<String> refusal = closed ? Optional.of(closedAs)
                    : state.isFailed() ? Optional.of("account " + account + " failed: " + state.failureReason())
                    : lock.isEmpty() ? Optional.of("no lock " + serialNumber + " on account " + account)
                    : Operations.refusal(lock.get(), type, mode);
            if (refusal.isPresent()) {
                return CompletableFuture.completedFuture(new OperationOutcome(serialNumber, type, OperationOutcome.Status.REJECTED,
                        null, refusal.get(), lock.orElse(null)));
            }
            operation = new PendingOperation(serialNumber, lock.get().id(), type, mode,
                    clock.instant().plus(settings.operationTimeout()));
            state.queue(operation);
        }
        wakeAt(clock.instant());
        return operation.outcome;
    }

    /**
     * Merges a webhook routed to this account; returns once its changes, and every earlier change of the
     * account, reached the listeners (the store first). So a webhook that repeats one whose write failed
     * (Tedee retries after a 5xx) is answered only once the first one's changes are written. Blocks the
     * calling (HTTP server) thread for the store write, never an engine thread. A closed (stopped or
     * removed) account applies nothing: not delivered.
     */
    public WebhookOutcome applyWebhook(WebhookNotification notification) {
        long sequence;
        WebhookOutcome outcome;
        boolean followUp;
        List<Runnable> confirmed = List.of();
        synchronized (guard) {
            Instant now = clock.instant();
            if (closed) {
                return WebhookOutcome.NOT_DELIVERED;
            }
            if (notification instanceof UnknownWebhook) {
                state.webhookReceived(now, false);
                return WebhookOutcome.UNKNOWN_EVENT;
            }
            Optional<MirroredLock> before = mirror.byId(notification.deviceId());
            state.webhookReceived(now, before.isPresent());
            MergeResult result = publisher.merge(new Observation.Webhook(notification), now);
            followUp = result.listRefreshNeeded() || !result.detailsNeeded().isEmpty() || !result.syncNeeded().isEmpty();
            publisher.publish(result, now, state);
            sequence = publisher.publishedUpTo();
            outcome = before.isEmpty() ? WebhookOutcome.UNKNOWN_DEVICE : result.ignored() ? WebhookOutcome.STALE : WebhookOutcome.APPLIED;
            if (before.isPresent() && notification instanceof LockStatusChanged && !result.ignored()) { // a stale or repeated one proves nothing
                confirmed = state.answeredByWebhook(before.get().serialNumber(), now);
            }
        }
        if (followUp) {
            wakeAt(clock.instant());
        }
        boolean delivered;
        try {
            delivered = outbox.awaitDelivered(sequence, DELIVERY_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivered = false;
        }
        confirmed.forEach(Runnable::run);
        return delivered ? outcome : WebhookOutcome.NOT_DELIVERED;
    }

    // ---- the loop ----

    private void wakeAt(Instant at) {
        synchronized (guard) {
            if (closed || at.equals(Instant.MAX) || (wake != null && !wakeAt.isAfter(at))) {
                return;
            }
            if (wake != null) {
                wake.cancel();
            }
            wakeAt = at;
            wake = scheduler.schedule(this::tick, Duration.between(clock.instant(), at));
        }
    }

    private void tick() {
        Action action;
        Instant started = clock.instant();
        boolean gated;
        synchronized (guard) {
            wake = null;
            wakeAt = null;
            if (closed || running) {
                return;
            }
            try {
                action = state.plan(started);
            } catch (RuntimeException bug) {
                LOG.error("account {}: unexpected failure while planning; trying again in a minute", account, bug);
                wakeAt(started.plus(Duration.ofMinutes(1)));
                return;
            }
            if (action instanceof Action.Wait wait) {
                wakeAt(wait.until());
                return;
            }
            if (action instanceof Action.Send send) {
                state.sending(send.operation());
            }
            running = true;
            gated = action instanceof Action.GetAll && !state.hasLoadedList();
        }
        if (gated) {
            gate.enter(permit -> call(action, permit));
        } else {
            call(action, null);
        }
    }

    private void call(Action action, CallGate.Permit permit) {
        boolean permitted = callPermit.allows(account); // without the guard: it is the embedder's code
        Instant started = clock.instant();
        CompletableFuture<?> pending;
        synchronized (guard) {
            // Closed while waiting for a place: no call after close(); whoever waited was told.
            if (closed || !permitted) {
                running = false;
                if (permit != null) {
                    permit.release();
                }
                if (!closed) {
                    state.notPermitted(action, started.plus(NOT_PERMITTED_RETRY));
                    wakeAt(started.plus(NOT_PERMITTED_RETRY));
                }
                return;
            }
            state.ledger().started(action, started);
        }
        try {
            pending = calls.start(action);
        } catch (RuntimeException bug) {
            pending = CompletableFuture.failedFuture(bug);
        }
        CompletableFuture<Void> removedMeanwhile;
        synchronized (guard) {
            removedMeanwhile = state.ledger().sent();
        }
        if (removedMeanwhile != null) {
            removedMeanwhile.complete(null); // a hand-over waits for this: no call of the account starts after it
        }
        scheduler.whenDone(pending, callDeadline, (answer, failure) -> answered(action, started, answer, failure, permit));
    }

    private void answered(Action action, Instant started, Object answer, Throwable failure, CallGate.Permit permit) {
        if (permit != null) {
            permit.release();
        }
        List<Runnable> completions;
        long published;
        synchronized (guard) {
            if (closed) { // stopped or removed meanwhile: whoever waited was told, and a late answer publishes nothing
                running = false;
                return;
            }
            Instant now = clock.instant();
            state.ledger().ended(action, now);
            try {
                if (failure == null) {
                    answers.settle(action, started, answer, now);
                } else {
                    answers.fail(action, failure, now);
                }
            } catch (RuntimeException bug) {
                LOG.error("account {}: unexpected failure after {}; backing off", account, Answers.describe(action), bug);
                publisher.publishHealth(state.failedUnexpectedly(action, "internal error: " + bug, now), now);
            }
            running = false;
            completions = state.takeAfterDelivery();
            published = publisher.publishedUpTo();
        }
        outbox.drainLater();
        outbox.tellWhenDelivered(published, completions, DELIVERY_WAIT);
        wakeAt(clock.instant());
    }
}
