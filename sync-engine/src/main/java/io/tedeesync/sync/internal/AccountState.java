package io.tedeesync.sync.internal;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.LockState;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.sync.AccountHealth;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.OperationOutcome;
import io.tedeesync.sync.SyncSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One account's scheduling state and policy: which call to make next, and when. No I/O, no clock
 * reads, no threads: {@link AccountWorker} asks {@link #plan} with the time and reports back.
 *
 * <p>The policy, in priority order: nothing while the account is failed or inside a
 * {@code Retry-After}; queued operations, then polls of sent ones (these may use the budget's
 * reserve); nothing else while backing off after a failure, or while the polling budget (limit minus
 * reserve) is used up; the lock list when never loaded or when an unknown id asked for it (at most
 * once per {@code listRefreshGap}); details of locks whose revision rose; sync-all when its interval
 * has passed and no lock was synced in the last 10 s; single-lock syncs whose 10 s floor has passed,
 * batched into one {@code ?id=} call. Otherwise wait until the earliest of those times.
 *
 * <p>Not thread-safe: guarded by its worker.
 */
final class AccountState {
    private static final Duration FLOOR = SyncSettings.SYNC_FLOOR;

    final String account;
    final SyncSettings settings;
    final Duration baseInterval;
    final RequestBudget budget;

    boolean listLoaded;
    boolean listRefreshNeeded;
    Instant lastListRefresh;
    Instant lastFullRefresh;
    Instant lastSyncAll;
    Instant latestSingleSync;
    final Map<String, Instant> lastSingleSync = new HashMap<>();
    final Map<String, List<CompletableFuture<MirroredLock>>> pendingSyncs = new LinkedHashMap<>();
    final Set<Long> detailsPending = new LinkedHashSet<>();
    final Deque<PendingOperation> toSend = new ArrayDeque<>();
    final List<PendingOperation> following = new ArrayList<>();

    AccountHealth health = AccountHealth.STARTING;
    String reason;
    Instant lastSuccess;
    Instant blockedUntil;
    Instant retryAt;
    int failures;
    Instant lastWebhookAt;
    long webhooks;
    boolean budgetLimited;

    AccountState(String account, SyncSettings settings, Duration baseInterval, RequestBudget budget) {
        this.account = account;
        this.settings = settings;
        this.baseInterval = baseInterval;
        this.budget = budget;
    }

    /**
     * The sync-all interval now: the account's, stretched to the safety interval while webhooks flow,
     * and stretched so that what is left of the polling budget lasts an hour (3600 s / requests left):
     * with 500 left that is 7 s (no stretch at 20 s), with 100 left 36 s, with 10 left 6 min. The
     * budget is spread out instead of used up and then waited for.
     */
    Duration effectiveInterval(Instant now) {
        Duration interval = webhooksHealthy(now) && settings.webhookSafetyInterval().compareTo(baseInterval) > 0
                ? settings.webhookSafetyInterval() : baseInterval;
        Duration budgetPace = budgetPace(now);
        return budgetPace.compareTo(interval) > 0 ? budgetPace : interval;
    }

    /** The spacing that makes the remaining polling budget last an hour. */
    Duration budgetPace(Instant now) {
        int left = pollingBudget() - budget.used(now);
        return RequestBudget.WINDOW.dividedBy(Math.max(1, left));
    }

    int pollingBudget() {
        return settings.hourlyRequestLimit() - settings.operationReserve();
    }

    boolean webhooksHealthy(Instant now) {
        return lastWebhookAt != null && Duration.between(lastWebhookAt, now).compareTo(settings.webhookQuietGap()) <= 0;
    }

    Action plan(Instant now) {
        if (health == AccountHealth.FAILED) {
            return new Action.Wait(Instant.MAX);
        }
        expireOperations(now);
        if (blockedUntil != null && now.isBefore(blockedUntil)) {
            rejectOperationsThatCannotWait(blockedUntil);
            return new Action.Wait(blockedUntil);
        }
        int used = budget.used(now);
        Instant earliest = Instant.MAX;
        if (!toSend.isEmpty()) {
            if (used < settings.hourlyRequestLimit()) {
                return new Action.Send(toSend.peekFirst());
            }
            rejectQueuedOperations(now);
        }
        for (PendingOperation operation : following) {
            if (!operation.nextPollAt.isAfter(now) && used < settings.hourlyRequestLimit()) {
                return new Action.Poll(operation);
            }
            earliest = min(earliest, operation.nextPollAt.isAfter(now) ? operation.nextPollAt
                    : budget.availableAt(now, settings.hourlyRequestLimit()));
            earliest = min(earliest, operation.deadline);
        }
        if (lastWebhookAt != null && webhooksHealthy(now)) {
            earliest = min(earliest, lastWebhookAt.plus(settings.webhookQuietGap()).plusMillis(1)); // mode changes on time
        }
        if (retryAt != null && now.isBefore(retryAt)) {
            return new Action.Wait(min(earliest, retryAt));
        }
        budgetLimited = budgetPace(now).compareTo(baseInterval) > 0;
        if (used >= pollingBudget()) {
            return new Action.Wait(min(earliest, budget.availableAt(now, pollingBudget())));
        }
        if (!listLoaded) {
            return new Action.GetAll();
        }
        Instant syncAllAt = syncAllDue(now);
        boolean syncAllDueNow = !syncAllAt.isAfter(now);
        // After failures, the regular sync-all goes first: a follow-up call that keeps failing
        // (a list with a bad entry, one lock's details) must not starve every other lock.
        if (syncAllDueNow && failures > 0) {
            return new Action.SyncAll();
        }
        if (listRefreshNeeded) {
            Instant allowed = lastListRefresh == null ? now : lastListRefresh.plus(settings.listRefreshGap());
            if (!allowed.isAfter(now)) {
                return new Action.GetAll();
            }
            earliest = min(earliest, allowed);
        }
        if (!detailsPending.isEmpty()) {
            return new Action.Details(detailsPending.iterator().next());
        }
        if (syncAllDueNow) {
            return new Action.SyncAll();
        }
        earliest = min(earliest, syncAllAt);
        if (!intervalDue(now).isAfter(now)) {
            // The sync-all is due and only held by a recent single's floor: hold further singles, so a
            // stream of on-demand syncs cannot push it back for ever; it covers them within 10 s.
            return new Action.Wait(earliest);
        }
        return dueSingles(now, earliest);
    }

    /** When the interval since the last full refresh has passed (floors aside). */
    private Instant intervalDue(Instant now) {
        return lastFullRefresh == null ? now : lastFullRefresh.plus(effectiveInterval(now));
    }

    /** When the next sync-all may run: the interval after the last full refresh, and 10 s after any sync. */
    Instant syncAllDue(Instant now) {
        Instant due = intervalDue(now);
        if (lastSyncAll != null) {
            due = max(due, lastSyncAll.plus(FLOOR));
        }
        if (latestSingleSync != null) {
            due = max(due, latestSingleSync.plus(FLOOR));
        }
        return due;
    }

    /** When this lock may be synced on its own again: 10 s after it was last covered by any sync. */
    Instant singleSyncAllowedAt(String serialNumber) {
        Instant covered = lastSyncAll;
        Instant single = lastSingleSync.get(serialNumber);
        if (single != null) {
            covered = covered == null ? single : max(covered, single);
        }
        return covered == null ? Instant.MIN : covered.plus(FLOOR);
    }

    private Action dueSingles(Instant now, Instant earliest) {
        List<String> due = new ArrayList<>();
        Instant next = earliest;
        for (String serial : pendingSyncs.keySet()) {
            if (!lockIds.containsKey(serial)) {
                continue; // not (or no longer) on the account: the worker settles these after each merge
            }
            Instant allowed = singleSyncAllowedAt(serial);
            if (allowed.isAfter(now)) {
                next = min(next, allowed);
            } else {
                due.add(serial);
            }
        }
        return due.isEmpty() ? new Action.Wait(next) : new Action.SyncSome(List.copyOf(idsOf(due)));
    }

    private List<Long> idsOf(List<String> serials) {
        List<Long> ids = new ArrayList<>(serials.size());
        for (String serial : serials) {
            ids.add(lockIds.get(serial));
        }
        return ids;
    }

    /** Serial to current id, refreshed by the worker after every merge. */
    final Map<String, Long> lockIds = new HashMap<>();

    // ---- bookkeeping after calls ----

    void coveredByGetAll(Instant now) {
        listLoaded = true;
        listRefreshNeeded = false;
        lastListRefresh = now;
        lastFullRefresh = now;
    }

    void coveredBySyncAll(Instant now, Map<String, MirroredLock> current) {
        lastSyncAll = now;
        lastFullRefresh = now;
        for (Map.Entry<String, List<CompletableFuture<MirroredLock>>> pending : pendingSyncs.entrySet()) {
            MirroredLock lock = current.get(pending.getKey());
            pending.getValue().forEach(future -> complete(future, lock, pending.getKey()));
        }
        pendingSyncs.clear();
    }

    void coveredBySingles(Instant now, List<String> serials, Map<String, MirroredLock> current) {
        for (String serial : serials) {
            lastSingleSync.put(serial, now);
            List<CompletableFuture<MirroredLock>> waiting = pendingSyncs.remove(serial);
            if (waiting != null) {
                waiting.forEach(future -> complete(future, current.get(serial), serial));
            }
        }
        latestSingleSync = now;
    }

    /**
     * Sync waiters are told after the merge's changes reached the listeners (the store among them), so
     * whoever waited reads a state that is already written; the worker runs these after delivery.
     */
    final List<Runnable> afterDelivery = new ArrayList<>();

    private void complete(CompletableFuture<MirroredLock> future, MirroredLock lock, String serial) {
        afterDelivery.add(() -> {
            if (lock == null) {
                future.completeExceptionally(new IllegalStateException("lock " + serial + " is no longer on the account"));
            } else {
                future.complete(lock);
            }
        });
    }

    /** Asks for a sync of one lock; joins a pending one for the same lock. */
    CompletableFuture<MirroredLock> requestSync(String serialNumber) {
        CompletableFuture<MirroredLock> future = new CompletableFuture<>();
        pendingSyncs.computeIfAbsent(serialNumber, s -> new ArrayList<>()).add(future);
        return future;
    }

    /** A successful call: clears failures and backoff; returns whether the account recovered from degraded. */
    boolean succeeded(Instant now) {
        lastSuccess = now;
        failures = 0;
        retryAt = null;
        boolean recovered = health == AccountHealth.DEGRADED;
        if (health != AccountHealth.FAILED) {
            health = AccountHealth.OK;
            reason = null;
        }
        return recovered;
    }

    /** A transient failure: backs off; returns whether the account just became degraded. */
    boolean failed(Instant now, String why, Duration wait) {
        failures++;
        retryAt = now.plus(wait);
        return degrade(why);
    }

    /** A 429: nothing until {@code until}; returns whether the account just became degraded. */
    boolean rateLimited(Instant until, String why) {
        blockedUntil = until;
        return degrade(why);
    }

    private boolean degrade(String why) {
        reason = why;
        if (health == AccountHealth.OK || health == AccountHealth.STARTING) {
            health = AccountHealth.DEGRADED;
            return true;
        }
        return false;
    }

    /** Credentials refused for good: everything waiting is told, nothing more is called. */
    void fail(String why) {
        health = AccountHealth.FAILED;
        reason = why;
        for (PendingOperation operation : toSend) {
            operation.finish(OperationOutcome.Status.REJECTED, "account " + account + " failed: " + why);
        }
        for (PendingOperation operation : following) {
            operation.finish(OperationOutcome.Status.FAILED, "account " + account + " failed: " + why);
        }
        toSend.clear();
        following.clear();
        for (List<CompletableFuture<MirroredLock>> waiting : pendingSyncs.values()) {
            waiting.forEach(future -> future.completeExceptionally(new IllegalStateException("account " + account + " failed: " + why)));
        }
        pendingSyncs.clear();
    }

    // ---- operations ----

    /** Checks an operation against what the mirror knows; returns why it cannot be sent, if it cannot. */
    static Optional<String> refusal(MirroredLock lock, OperationType type, UnlockMode mode) {
        if (!lock.connected()) {
            return Optional.of("lock " + lock.serialNumber() + " is disconnected");
        }
        DeviceState state = lock.state();
        if (state == null) {
            return Optional.of("the position of lock " + lock.serialNumber() + " is not known yet");
        }
        LockState position = state.state();
        boolean allowed;
        switch (type) {
            case LOCK:
                allowed = position == LockState.UNLOCKED || position == LockState.SEMI_LOCKED;
                break;
            case UNLOCK:
                allowed = position == LockState.LOCKED || position == LockState.SEMI_LOCKED
                        || (mode == UnlockMode.FORCE && position == LockState.UNKNOWN)
                        || (mode == UnlockMode.UNLOCK_OR_PULL && position == LockState.UNLOCKED);
                break;
            case PULL:
                allowed = position == LockState.UNLOCKED;
                break;
            default:
                allowed = false;
        }
        return allowed ? Optional.empty()
                : Optional.of("cannot " + type.name().toLowerCase() + " lock " + lock.serialNumber() + " while it is " + position);
    }

    private void expireOperations(Instant now) {
        rejectOperationsThatCannotWait(now);
        for (Iterator<PendingOperation> it = following.iterator(); it.hasNext(); ) {
            PendingOperation operation = it.next();
            if (!now.isBefore(operation.deadline)) {
                it.remove();
                operation.finish(OperationOutcome.Status.TIMED_OUT, "no completion within " + settings.operationTimeout().toSeconds() + " s");
                requestSync(operation.serialNumber);
            }
        }
    }

    /** Operations that would be sent after their deadline are refused now: a door must not open an hour late. */
    private void rejectOperationsThatCannotWait(Instant notBefore) {
        for (Iterator<PendingOperation> it = toSend.iterator(); it.hasNext(); ) {
            PendingOperation operation = it.next();
            if (!notBefore.isBefore(operation.deadline)) {
                it.remove();
                operation.finish(OperationOutcome.Status.REJECTED, "not sent: Tedee asked for no calls until " + notBefore);
            }
        }
    }

    private void rejectQueuedOperations(Instant now) {
        Instant free = budget.availableAt(now, settings.hourlyRequestLimit());
        for (PendingOperation operation : toSend) {
            operation.finish(OperationOutcome.Status.REJECTED, "the account's hourly request budget is used up until " + free);
        }
        toSend.clear();
    }

    AccountStatus status(Instant now, int lockCount) {
        return new AccountStatus(account, health, reason, lockCount, webhooksHealthy(now) ? "webhooks" : "polling",
                effectiveInterval(now), budget.used(now), settings.hourlyRequestLimit(), budgetLimited, lastSuccess,
                blockedUntil != null && blockedUntil.isAfter(now) ? blockedUntil
                        : retryAt != null && retryAt.isAfter(now) ? retryAt : null,
                webhooks);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
