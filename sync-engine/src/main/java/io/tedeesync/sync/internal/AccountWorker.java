package io.tedeesync.sync.internal;

import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.DeviceOperation;
import io.tedeesync.client.ForbiddenException;
import io.tedeesync.client.Entries;
import io.tedeesync.client.Lock;
import io.tedeesync.client.UnreadableEntry;
import io.tedeesync.client.LockSync;
import io.tedeesync.client.NotFoundException;
import io.tedeesync.client.OperationAccepted;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.RateLimitedException;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.client.TedeeException;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.client.webhook.UnknownWebhook;
import io.tedeesync.client.webhook.WebhookNotification;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MergeResult;
import io.tedeesync.sync.Mirror;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.Observation;
import io.tedeesync.sync.OperationOutcome;
import io.tedeesync.sync.SyncEvent;
import io.tedeesync.sync.SyncSettings;
import io.tedeesync.sync.TaskScheduler;
import io.tedeesync.sync.WebhookOutcome;
import io.tedeesync.sync.AccountHealth;
import io.tedeesync.sync.internal.CallHealth.Kind;
import io.tedeesync.client.webhook.LockStatusChanged;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imperative shell around one account: runs the calls {@link AccountState} plans, one at a time,
 * on the injected scheduler; merges answers into the {@link Mirror}; publishes changes. No lock is held
 * during a call or a listener delivery (operation futures are completed under the account's monitor:
 * their callbacks must be quick and must not call back into the engine synchronously).
 *
 * <p>Thread-safe: state is guarded by one monitor; calls run outside it, and at most one call of the
 * account is in flight.
 */
public final class AccountWorker {
    private static final Logger LOG = LoggerFactory.getLogger(AccountWorker.class);
    /** How long a call or webhook waits for its changes to reach the listeners (a hung store must not hang everything). */
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(10);

    private final String account;
    private final SyncSettings settings;
    private final Mirror mirror;
    private final AccountState state;
    private final TedeeClient client;
    private final Clock clock;
    private final TaskScheduler scheduler;
    private final Random random;
    private final EventOutbox outbox;
    private final Object guard = new Object();

    private boolean running;
    /** Unreadable answer elements already reported, so each is logged once. */
    private final Set<String> reportedUnreadable = new HashSet<>();
    private boolean closed;
    private long publishedUpTo;
    private TaskScheduler.Cancellable wake;
    private Instant wakeAt;

    public AccountWorker(AccountConfig config, SyncSettings settings, Clock clock, TaskScheduler scheduler, Random random,
            EventOutbox outbox, Collection<MirroredLock> seed) {
        this.account = config.name();
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
        this.outbox = outbox;
        this.mirror = new Mirror(account);
        RequestBudget budget = new RequestBudget(clock);
        this.client = config.client().requestListener(budget).build();
        this.state = new AccountState(account, settings,
                config.syncInterval() != null ? config.syncInterval() : settings.syncInterval(), budget, random,
                serial -> mirror.bySerial(serial).orElse(null));
        mirror.seed(seed);
        refreshIds();
    }

    public String account() {
        return account;
    }

    public void start() {
        wakeAt(clock.instant());
    }

    public void close() {
        synchronized (guard) {
            closed = true;
            if (wake != null) {
                wake.cancel();
                wake = null;
            }
            state.fail("the engine stopped");
        }
        outbox.drain();
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
            Instant allowed = state.syncAllowedAt();
            if (state.health.isBlocked(now) && state.health.blockedUntil.isAfter(allowed)) {
                allowed = state.health.blockedUntil;
            }
            Duration wait = Duration.between(now, allowed.isBefore(now) ? now : allowed);
            return wait.isNegative() ? Duration.ZERO : wait;
        }
    }

    /** Syncs one lock as soon as its floor allows; joins a pending request for the same lock. */
    public CompletableFuture<MirroredLock> requestSync(String serialNumber) {
        CompletableFuture<MirroredLock> result;
        synchronized (guard) {
            if (closed || mirror.bySerial(serialNumber).isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("no lock " + serialNumber + " on account " + account));
            }
            if (state.health.health == AccountHealth.FAILED) {
                return CompletableFuture.failedFuture(new IllegalStateException("account " + account + " failed: " + state.health.reason));
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
            Optional<String> refusal = closed ? Optional.of("the engine stopped")
                    : state.health.health == AccountHealth.FAILED ? Optional.of("account " + account + " failed: " + state.health.reason)
                    : lock.isEmpty() ? Optional.of("no lock " + serialNumber + " on account " + account)
                    : AccountState.refusal(lock.get(), type, mode);
            if (refusal.isPresent()) {
                return CompletableFuture.completedFuture(new OperationOutcome(serialNumber, type, OperationOutcome.Status.REJECTED,
                        null, refusal.get(), lock.orElse(null)));
            }
            operation = new PendingOperation(serialNumber, lock.get().id(), type, mode,
                    clock.instant().plus(settings.operationTimeout()));
            state.toSend.addLast(operation);
        }
        wakeAt(clock.instant());
        return operation.outcome;
    }

    /**
     * Merges a webhook routed to this account; returns once its changes, and every earlier change of the
     * account, reached the listeners (the store first). So a webhook that repeats one whose write failed
     * (Tedee retries after a 5xx) is answered only once the first one's changes are written.
     */
    public WebhookOutcome applyWebhook(WebhookNotification notification) {
        long sequence;
        WebhookOutcome outcome;
        boolean followUp;
        List<Runnable> confirmed = List.of();
        synchronized (guard) {
            Instant now = clock.instant();
            state.webhooks++;
            if (notification instanceof UnknownWebhook) {
                return WebhookOutcome.UNKNOWN_EVENT;
            }
            Optional<MirroredLock> before = mirror.byId(notification.deviceId());
            if (before.isPresent()) {
                state.lastWebhookAt = now; // webhooks flow for this account's locks: polling may slow down
            }
            MergeResult result = mirror.apply(new Observation.Webhook(notification), now);
            followUp = result.listRefreshNeeded() || !result.detailsNeeded().isEmpty() || !result.syncNeeded().isEmpty();
            absorb(result, now);
            sequence = publishedUpTo;
            outcome = before.isEmpty() ? WebhookOutcome.UNKNOWN_DEVICE : result.ignored() ? WebhookOutcome.STALE : WebhookOutcome.APPLIED;
            if (before.isPresent() && notification instanceof LockStatusChanged && !result.ignored()) { // a stale or repeated one proves nothing
                String serial = before.get().serialNumber();
                confirmed = state.syncs.answeredByWebhook(serial, now, mirror.bySerial(serial).orElse(null));
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
        synchronized (guard) {
            wake = null;
            wakeAt = null;
            if (closed || running) {
                return;
            }
            action = state.plan(started);
            if (action instanceof Action.Wait wait) {
                wakeAt(wait.until());
                return;
            }
            if (action instanceof Action.Send) {
                state.toSend.pollFirst();
            }
            running = true;
        }
        try {
            perform(action, started);
        } catch (RuntimeException bug) {
            LOG.error("account {}: unexpected failure during {}; backing off", account, describe(action), bug);
            synchronized (guard) {
                Kind kind = FailurePolicy.kindOf(action);
                state.health.failed(kind != null ? kind : Kind.SYNC, clock.instant(), "internal error: " + bug);
                degrade("internal error: " + bug, clock.instant());
            }
        } finally {
            List<Runnable> completions;
            long published;
            synchronized (guard) {
                running = false;
                completions = List.copyOf(state.afterDelivery);
                state.afterDelivery.clear();
                published = publishedUpTo;
            }
            try {
                if (!outbox.awaitDelivered(published, DELIVERY_WAIT)) { // waiters must find the changes already written
                    LOG.debug("account {}: the store has not taken the changes yet (kept and retried); carrying on", account);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            completions.forEach(Runnable::run);
            wakeAt(clock.instant());
        }
    }

    private void perform(Action action, Instant started) {
        try {
            if (action instanceof Action.GetAll) {
                Entries<Lock> locks = client.getLockEntries();
                reportUnreadable("get-all", locks.unreadable());
                settle(new Observation.LockList(locks.readable(), locks.unreadable(), started), Kind.LIST,
                        () -> state.coveredByGetAll(clock.instant()));
            } else if (action instanceof Action.SyncAll) {
                Entries<LockSync> locks = syncing(started, client::syncLockEntries);
                reportUnreadable("sync", locks.unreadable());
                settle(new Observation.Sync(locks.readable(), Set.of(), locks.unreadable(), started), Kind.SYNC,
                        () -> state.coveredBySyncAll(started, clock.instant()));
            } else if (action instanceof Action.SyncSome some) {
                List<String> serials = serialsOf(some.ids());
                Entries<LockSync> locks = syncing(started, () -> some.ids().size() == 1
                        ? new Entries<>(List.of(client.syncLock(some.ids().get(0))), List.of()) : client.syncLockEntries(some.ids()));
                reportUnreadable("sync", locks.unreadable());
                settle(new Observation.Sync(locks.readable(), Set.copyOf(some.ids()), locks.unreadable(), started), Kind.SYNC,
                        () -> state.coveredBySingles(started, serials));
            } else if (action instanceof Action.Details details) {
                Lock lock = client.getLock(details.id());
                settle(new Observation.Details(lock, started), Kind.DETAILS, () -> state.detailsPending.remove(details.id()));
            } else if (action instanceof Action.Send send) {
                sendOperation(send.operation());
            } else if (action instanceof Action.Poll poll) {
                pollOperation(poll.operation());
            }
        } catch (TedeeException failure) {
            handle(action, failure);
        }
    }

    /**
     * Runs a sync call of any form under the account-wide floor: it counts from the request while the
     * call runs and from the end of the call after it (Tedee saw it somewhere in between), answered or not.
     */
    private Entries<LockSync> syncing(Instant started, java.util.function.Supplier<Entries<LockSync>> call) {
        synchronized (guard) {
            state.lastSync = started;
        }
        try {
            return call.get();
        } finally {
            synchronized (guard) {
                state.lastSync = clock.instant();
            }
        }
    }

    /**
     * One WARN line per lock the answer could not be read for (which lock, why; its last known state is
     * kept), the first time only: a lock that stays unreadable does not fill the log every 20 s.
     */
    private void reportUnreadable(String answer, List<UnreadableEntry> unreadable) {
        List<String> fresh = new ArrayList<>();
        synchronized (guard) {
            for (UnreadableEntry entry : unreadable) {
                String which = entry.serialNumber() != null ? entry.serialNumber() : entry.id() != null ? "id " + entry.id() : "(no id)";
                if (reportedUnreadable.add(which + ": " + entry.reason())) {
                    fresh.add("skipped lock " + which + " in the " + answer + " answer (" + entry.reason() + "); its last known state is kept");
                }
            }
        }
        fresh.forEach(line -> LOG.warn("account {}: {}", account, line));
    }

    private void sendOperation(PendingOperation operation) {
        OperationAccepted accepted;
        try {
            accepted = operation.type == OperationType.LOCK ? client.lock(operation.lockId)
                    : operation.type == OperationType.PULL ? client.pull(operation.lockId)
                    : client.unlock(operation.lockId, operation.mode == null ? UnlockMode.NORMAL : operation.mode);
        } catch (RuntimeException failure) {
            operation.finish(OperationOutcome.Status.FAILED, failure instanceof TedeeException ? failure.getMessage()
                    : "unexpected failure: " + failure.getClass().getSimpleName(), lock(operation.serialNumber).orElse(null));
            throw failure;
        }
        synchronized (guard) {
            operation.operationId = accepted.operationId();
            if (closed) {
                operation.finish(OperationOutcome.Status.TIMED_OUT, "sent, but the engine stopped before it completed",
                        mirror.bySerial(operation.serialNumber).orElse(null));
                return;
            }
            operation.nextPollAt = clock.instant().plus(settings.operationPoll());
            state.following.add(operation);
            recordSuccess(null, clock.instant());
        }
    }

    private void pollOperation(PendingOperation operation) {
        DeviceOperation progress;
        try {
            progress = client.getOperation(operation.operationId);
        } catch (TedeeException failure) {
            synchronized (guard) {
                operation.nextPollAt = clock.instant().plus(settings.operationPoll());
            }
            throw failure;
        }
        synchronized (guard) {
            Instant now = clock.instant();
            recordSuccess(null, now);
            if (!state.following.contains(operation)) {
                return; // the engine stopped or the account failed meanwhile: already told
            }
            if (!progress.isCompleted()) {
                operation.nextPollAt = now.plus(settings.operationPoll());
                return;
            }
            if (progress.isSuccessful()) {
                state.confirm(operation, OperationOutcome.Status.SUCCEEDED, null, now);
            } else {
                state.confirm(operation, OperationOutcome.Status.FAILED, "the lock reported failure (result " + progress.result() + ")", now);
            }
        }
    }

    /** Merges a successful answer, records the coverage, and publishes what changed. */
    private void settle(Observation observation, Kind kind, Runnable coverage) {
        synchronized (guard) {
            Instant now = clock.instant();
            MergeResult result = mirror.apply(observation, now);
            coverage.run();
            absorb(result, now);
            recordSuccess(kind, now);
        }
    }

    private void recordSuccess(Kind kind, Instant now) {
        if (state.health.succeeded(kind, now)) {
            LOG.info("account {}: calls succeed again", account);
            publishHealth(new AccountEvent.AccountRecovered(account, now), now);
        }
    }



    /** Takes a merge's follow-ups and publishes its events; returns the batch's sequence, or 0. Under the guard. */
    private long absorb(MergeResult result, Instant now) {
        state.listRefreshNeeded |= result.listRefreshNeeded();
        state.detailsPending.addAll(result.detailsNeeded());
        boolean listChanged = false;
        for (SyncEvent event : result.events()) {
            listChanged |= event instanceof LockEvent.Added || event instanceof LockEvent.Removed || event instanceof LockEvent.IdChanged;
        }
        if (listChanged || state.lockIds.size() != mirror.size()) {
            refreshIds();
        }
        for (Long id : result.syncNeeded()) {
            mirror.byId(id).ifPresent(lock -> state.requestSync(lock.serialNumber(), now));
        }
        if (result.events().isEmpty()) {
            dropGoneSyncRequests();
            return 0;
        }
        Map<String, MirroredLock> changed = new LinkedHashMap<>();
        Set<String> removed = new HashSet<>();
        for (SyncEvent event : result.events()) {
            if (event instanceof LockEvent lockEvent) {
                if (event instanceof LockEvent.Removed) {
                    removed.add(lockEvent.serialNumber());
                    changed.remove(lockEvent.serialNumber());
                } else {
                    mirror.bySerial(lockEvent.serialNumber()).ifPresent(lock -> changed.put(lock.serialNumber(), lock));
                }
            }
        }
        publishedUpTo = outbox.publish(new ChangeBatch(account, now, result.events(), List.copyOf(changed.values()), removed));
        dropGoneSyncRequests(); // after publishing: nothing a waiter's callback does can keep the merge from the store
        return publishedUpTo;
    }

    private void dropGoneSyncRequests() {
        if (state.listLoaded) {
            state.syncs.dropGone(state.lockIds::containsKey, "is no longer on account " + account);
        }
    }

    private void handle(Action action, TedeeException failure) {
        synchronized (guard) {
            Instant now = clock.instant();
            publishHealth(FailurePolicy.apply(state, action, failure, now), now);
        }
    }

    private void degrade(String why, Instant now) {
        if (state.health.degrade(why)) {
            publishHealth(new AccountEvent.AccountDegraded(account, now, why), now);
        }
    }

    private void publishHealth(AccountEvent event, Instant now) {
        if (event != null) {
            publishedUpTo = outbox.publish(new ChangeBatch(account, now, List.of(event), List.of(), Set.of()));
        }
    }

    private void refreshIds() {
        state.lockIds.clear();
        for (MirroredLock lock : mirror.locks()) {
            state.lockIds.put(lock.serialNumber(), lock.id());
        }
    }

    private List<String> serialsOf(List<Long> ids) {
        synchronized (guard) {
            List<String> serials = new ArrayList<>(ids.size());
            for (Long id : ids) {
                mirror.byId(id).ifPresent(lock -> serials.add(lock.serialNumber()));
            }
            return serials;
        }
    }

    private static String describe(Action action) {
        return action.getClass().getSimpleName();
    }
}
