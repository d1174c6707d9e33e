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
import io.tedeesync.sync.internal.CallHealth.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One account's scheduling state and policy: which call to make next, and when. No I/O, no clock
 * reads, no threads: {@link AccountWorker} asks {@link #plan} with the time and reports back.
 *
 * <p>The policy, in priority order: nothing while the account is failed or inside a pause Tedee asked
 * for ({@code 429}: the later of {@code Retry-After} and the backoff); queued operations, then polls
 * of sent ones (these may use the budget's reserve); nothing else while the polling budget (limit
 * minus reserve) is used up; the lock list when never loaded or when an unknown id asked for it (at
 * most once per {@code listRefreshGap}); details of locks whose revision rose; sync-all when its
 * interval has passed; syncs of single locks someone asked for, batched into one {@code ?id=} call.
 * Each kind of call waits out its own backoff after failing. Every sync of the account, whatever its
 * form and whoever asked for it, is at least {@link SyncSettings#SYNC_FLOOR} after the previous one.
 * Otherwise wait until the earliest of those times.
 *
 * <p>Not thread-safe: guarded by its worker.
 */
final class AccountState {
    private static final Duration FLOOR = SyncSettings.SYNC_FLOOR;
    /** More due singles than this go as one sync-all: below any client's {@code idsPerSync}, so never two requests. */
    static final int MAX_IDS_PER_SYNC = 20;

    final String account;
    final SyncSettings settings;
    final Duration baseInterval;
    final RequestBudget budget;
    final CallHealth health;
    final SyncRequests syncs = new SyncRequests();
    private final Function<String, MirroredLock> lockOf;

    boolean listLoaded;
    boolean listRefreshNeeded;
    Instant lastListRefresh;
    Instant lastFullRefresh;
    /** When the last sync call of any form ended (or began, while it runs): the floor counts from here. */
    Instant lastSync;
    final Set<Long> detailsPending = new LinkedHashSet<>();
    final Deque<PendingOperation> toSend = new ArrayDeque<>();
    final List<PendingOperation> following = new ArrayList<>();
    /** Completed operations waiting for their lock's confirmation; their callbacks run outside the guard. */
    final Set<PendingOperation> confirming = ConcurrentHashMap.newKeySet();
    /** Serial to current id, refreshed by the worker after every merge. */
    final Map<String, Long> lockIds = new HashMap<>();
    /** Completions to run once the merge's changes reached the listeners; the worker runs them. */
    final List<Runnable> afterDelivery = new ArrayList<>();

    Instant lastWebhookAt;
    long webhooks;
    boolean budgetLimited;

    AccountState(String account, SyncSettings settings, Duration baseInterval, RequestBudget budget, Random random,
            Function<String, MirroredLock> lockOf) {
        this.account = account;
        this.settings = settings;
        this.baseInterval = baseInterval;
        this.budget = budget;
        this.health = new CallHealth(settings.backoffBase(), settings.backoffCap(), random);
        this.lockOf = lockOf;
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
        if (health.health == AccountHealth.FAILED) {
            return new Action.Wait(Instant.MAX);
        }
        expireOperations(now);
        if (health.isBlocked(now)) {
            rejectOperationsThatCannotWait(health.blockedUntil);
            return new Action.Wait(health.blockedUntil);
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
        budgetLimited = budgetPace(now).compareTo(baseInterval) > 0;
        if (used >= pollingBudget()) {
            return new Action.Wait(min(earliest, budget.availableAt(now, pollingBudget())));
        }
        if (!listLoaded) {
            Instant allowed = allowedAt(Kind.LIST, now);
            return allowed.isAfter(now) ? new Action.Wait(min(earliest, allowed)) : new Action.GetAll();
        }
        Instant syncAllowed = max(syncAllowedAt(), allowedAt(Kind.SYNC, now));
        Instant syncAllAt = max(intervalDue(now), syncAllowed);
        boolean syncAllDueNow = !syncAllAt.isAfter(now);
        // While another kind of call keeps failing (a list with a bad entry, one lock's details), the
        // regular sync-all goes first: it must not starve every other lock.
        if (syncAllDueNow && health.othersFailing(Kind.SYNC)) {
            return new Action.SyncAll();
        }
        if (listRefreshNeeded) {
            Instant allowed = max(lastListRefresh == null ? now : lastListRefresh.plus(settings.listRefreshGap()),
                    allowedAt(Kind.LIST, now));
            if (!allowed.isAfter(now)) {
                return new Action.GetAll();
            }
            earliest = min(earliest, allowed);
        }
        if (!detailsPending.isEmpty()) {
            Instant allowed = allowedAt(Kind.DETAILS, now);
            if (!allowed.isAfter(now)) {
                return new Action.Details(detailsPending.iterator().next());
            }
            earliest = min(earliest, allowed);
        }
        if (syncAllDueNow) {
            return new Action.SyncAll();
        }
        earliest = min(earliest, syncAllAt);
        return dueSingles(now, syncAllowed, earliest);
    }

    /** When the interval since the last full refresh has passed (floors aside). */
    private Instant intervalDue(Instant now) {
        return lastFullRefresh == null ? now : lastFullRefresh.plus(effectiveInterval(now));
    }

    /** When the account may sync again, in any form: {@link SyncSettings#SYNC_FLOOR} after the last sync. */
    Instant syncAllowedAt() {
        return lastSync == null ? Instant.MIN : lastSync.plus(FLOOR);
    }

    private Instant allowedAt(Kind kind, Instant now) {
        Instant retry = health.retryAt(kind);
        return retry == null || retry.isBefore(now) ? now : retry;
    }

    private Action dueSingles(Instant now, Instant syncAllowed, Instant earliest) {
        List<Long> due = new ArrayList<>();
        Instant next = earliest;
        for (Map.Entry<String, SyncRequests.Request> pending : syncs.pending().entrySet()) {
            Long id = lockIds.get(pending.getKey());
            if (id == null) {
                continue; // not (or no longer) on the account: the worker settles these after each merge
            }
            Instant at = max(pending.getValue().notBefore, syncAllowed);
            if (at.isAfter(now)) {
                next = min(next, at);
            } else {
                due.add(id);
            }
        }
        if (due.size() > MAX_IDS_PER_SYNC) {
            return new Action.SyncAll(); // one request covers them all; a long ?id= list would be split into several
        }
        return due.isEmpty() ? new Action.Wait(next) : new Action.SyncSome(List.copyOf(due));
    }

    // ---- bookkeeping after calls ----

    void coveredByGetAll(Instant now) {
        listLoaded = true;
        listRefreshNeeded = false;
        lastListRefresh = now;
        lastFullRefresh = now;
    }

    void coveredBySyncAll(Instant sentAt, Instant now) {
        lastFullRefresh = now;
        afterDelivery.addAll(syncs.answeredBySyncAll(sentAt, lockOf));
    }

    void coveredBySingles(Instant sentAt, List<String> serials) {
        afterDelivery.addAll(syncs.answeredBySync(serials, sentAt, lockOf));
    }

    /** Asks for a sync of one lock as soon as the floor allows; joins a pending one for the same lock. */
    CompletableFuture<MirroredLock> requestSync(String serialNumber, Instant now) {
        return syncs.ask(serialNumber, now, now, false);
    }

    // ---- operations ----

    /**
     * Tedee says the operation completed: confirm the lock before telling the outcome. While webhooks
     * flow the lock's webhook is awaited for {@code operationWebhookWait} before a sync is spent on it
     * (the guide: a webhook makes the sync unnecessary); otherwise the lock is synced at its floor.
     */
    void confirm(PendingOperation operation, OperationOutcome.Status status, String message, Instant now) {
        following.remove(operation);
        operation.completed(status, message);
        confirming.add(operation);
        Duration wait = webhooksHealthy(now) ? settings.operationWebhookWait() : Duration.ZERO;
        syncs.ask(operation.serialNumber, now, now.plus(wait), !wait.isZero()).whenComplete((lock, failure) -> {
            confirming.remove(operation);
            if (failure == null) {
                operation.finish(status, message, lock);
            } else {
                operation.abandon(status, failure.getMessage(), null);
            }
        });
    }

    /** Credentials refused for good, or the engine stopped: everything waiting is told, nothing more is called. */
    void fail(String why) {
        health.fail(why);
        String message = "account " + account + " failed: " + why;
        for (PendingOperation operation : toSend) {
            operation.finish(OperationOutcome.Status.REJECTED, message, lockOf.apply(operation.serialNumber));
        }
        for (PendingOperation operation : following) {
            operation.finish(OperationOutcome.Status.FAILED, message, lockOf.apply(operation.serialNumber));
        }
        for (PendingOperation operation : List.copyOf(confirming)) {
            operation.abandon(OperationOutcome.Status.FAILED, message, lockOf.apply(operation.serialNumber));
        }
        toSend.clear();
        following.clear();
        confirming.clear();
        syncs.failAll(message);
    }

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
                operation.finish(OperationOutcome.Status.TIMED_OUT, "no completion within " + settings.operationTimeout().toSeconds() + " s",
                        lockOf.apply(operation.serialNumber));
                requestSync(operation.serialNumber, now);
            }
        }
    }

    /** Operations that would be sent after their deadline are refused now: a door must not open an hour late. */
    private void rejectOperationsThatCannotWait(Instant notBefore) {
        for (Iterator<PendingOperation> it = toSend.iterator(); it.hasNext(); ) {
            PendingOperation operation = it.next();
            if (!notBefore.isBefore(operation.deadline)) {
                it.remove();
                operation.finish(OperationOutcome.Status.REJECTED, "not sent: Tedee asked for no calls until " + notBefore,
                        lockOf.apply(operation.serialNumber));
            }
        }
    }

    private void rejectQueuedOperations(Instant now) {
        Instant free = budget.availableAt(now, settings.hourlyRequestLimit());
        List<PendingOperation> rejected = List.copyOf(toSend);
        toSend.clear(); // before telling anyone: a callback may queue a new operation
        for (PendingOperation operation : rejected) {
            operation.finish(OperationOutcome.Status.REJECTED, "the account's hourly request budget is used up until " + free,
                    lockOf.apply(operation.serialNumber));
        }
    }

    AccountStatus status(Instant now, int lockCount) {
        return new AccountStatus(account, health.health, health.reason, lockCount, webhooksHealthy(now) ? "webhooks" : "polling",
                effectiveInterval(now), budget.used(now), settings.hourlyRequestLimit(), budgetLimited, health.lastSuccess,
                health.pausedUntil(now), webhooks);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
