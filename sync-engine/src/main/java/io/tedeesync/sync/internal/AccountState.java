package io.tedeesync.sync.internal;

import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.DeviceOperation;
import io.tedeesync.client.ForbiddenException;
import io.tedeesync.client.NotFoundException;
import io.tedeesync.client.RateLimitedException;
import io.tedeesync.client.TedeeException;
import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.AccountHealth;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.OperationOutcome;
import io.tedeesync.sync.SyncSettings;
import io.tedeesync.sync.internal.CallHealth.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account's scheduling state and policy: which call to make next, and when, and what an answer or
 * a failure changes. No I/O, no clock reads, no threads: {@link AccountWorker} asks {@link #plan} with
 * the time and reports back with {@code covered…}, {@link #failed} and the operation methods; each call's
 * start and end go to its {@link #ledger()}.
 *
 * <p>The policy, in priority order: nothing while the account is failed or inside a pause Tedee asked
 * for ({@code 429}: the later of {@code Retry-After} and the backoff); queued operations, then polls
 * of sent ones (these may use the budget's reserve); nothing else while the polling budget (limit
 * minus reserve) is used up; the lock list when never loaded or when an unknown id asked for it (at
 * most once per {@code listRefreshGap}); details of locks whose revision rose; sync-all when its
 * interval has passed; syncs of single locks someone asked for, batched into one {@code ?id=} call.
 * Each kind of call waits out its own backoff after failing. Every sync of the account, whatever its
 * form and whoever asked for it, is at least {@link SyncSettings#SYNC_FLOOR} after the previous one,
 * including one a previous owner made ({@link CallLedger#seed}). Otherwise wait until the earliest of those times.
 *
 * <p>Failures, by what happens next: a {@code 429} pauses every call of the account (at least the
 * backoff, growing with each 429 in a row); a refused key or a missing scope fails the account for
 * good; a lock gone (404) or no longer ours (403) asks for the list; an operation's failure is its
 * own; anything else backs off that kind of call and degrades the account. One WARN line each.
 *
 * <p>Not thread-safe: guarded by its worker.
 */
final class AccountState {
    /** The account's lines come under one logger name, whichever part of it writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(AccountWorker.class);
    /** More due singles than this go as one sync-all: below any client's {@code idsPerSync}, so never two requests. */
    static final int MAX_IDS_PER_SYNC = 20;

    private final String account;
    private final SyncSettings settings;
    private final Pace pace;
    private final RequestBudget budget;
    private final CallHealth health;
    private final CallLedger ledger;
    private final SyncRequests syncs = new SyncRequests();
    private final Operations operations;
    private final Function<String, MirroredLock> lockOf;
    /** Serial to current id, as the mirror has it: whom a sync of a serial asks for. */
    private final Function<String, Long> idOf;

    private boolean listLoaded;
    private boolean listRefreshNeeded;
    private Instant lastListRefresh;
    private Instant lastFullRefresh;
    private final Set<Long> detailsPending = new LinkedHashSet<>();
    /** Completions to run once the merge's changes reached the listeners; the worker takes them. */
    private final List<Runnable> afterDelivery = new ArrayList<>();
    private long webhooks;
    private boolean budgetLimited;

    AccountState(String account, SyncSettings settings, Duration baseInterval, RequestBudget budget, Random random,
            Function<String, MirroredLock> lockOf, Function<String, Long> idOf) {
        this.account = account;
        this.settings = settings;
        this.pace = new Pace(settings, baseInterval, budget);
        this.budget = budget;
        this.health = new CallHealth(settings.backoffBase(), settings.backoffCap(), random);
        this.ledger = new CallLedger(health, budget);
        this.lockOf = lockOf;
        this.idOf = idOf;
        this.operations = new Operations(settings.operationTimeout(), lockOf);
    }

    Duration effectiveInterval(Instant now) {
        return pace.effectiveInterval(now);
    }

    boolean webhooksHealthy(Instant now) {
        return pace.webhooksHealthy(now);
    }

    /** The account's sync-all interval is now this; the next plan counts it from the last full refresh. */
    void baseInterval(Duration interval) {
        pace.baseInterval(interval);
    }

    boolean isFailed() {
        return health.health == AccountHealth.FAILED;
    }

    String failureReason() {
        return health.reason;
    }

    boolean hasLoadedList() {
        return listLoaded;
    }

    /** The next call, or how long to wait. */
    Action plan(Instant now) {
        if (isFailed()) {
            return new Action.Wait(Instant.MAX);
        }
        for (String serial : operations.expire(now)) {
            requestSync(serial, now);
        }
        if (health.isBlocked(now)) {
            operations.refuseThoseThatCannotWait(health.blockedUntil, "not sent: Tedee asked for no calls until " + health.blockedUntil);
            return new Action.Wait(health.blockedUntil);
        }
        int used = budget.used(now);
        Instant earliest = Instant.MAX;
        if (operations.hasQueued()) {
            if (used < settings.hourlyRequestLimit()) {
                return new Action.Send(operations.nextQueued());
            }
            operations.refuseQueued("the account's hourly request budget is used up until "
                    + budget.availableAt(now, settings.hourlyRequestLimit()));
        }
        for (PendingOperation operation : operations.following()) {
            if (!operation.nextPollAt.isAfter(now) && used < settings.hourlyRequestLimit()) {
                return new Action.Poll(operation);
            }
            earliest = min(earliest, operation.nextPollAt.isAfter(now) ? operation.nextPollAt
                    : budget.availableAt(now, settings.hourlyRequestLimit()));
            earliest = min(earliest, operation.deadline);
        }
        Instant quietAt = pace.quietAt(now);
        if (quietAt != null) {
            earliest = min(earliest, quietAt); // the mode changes on time
        }
        budgetLimited = pace.budgetLimited(now);
        if (used >= pace.pollingBudget()) {
            return new Action.Wait(min(earliest, budget.availableAt(now, pace.pollingBudget())));
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
        return ledger.syncAllowedAt();
    }

    /** What the calls left behind: the floor, and the history a next owner takes over. */
    CallLedger ledger() {
        return ledger;
    }

    /** When the next sync may go: after the floor and after any pause Tedee asked for. */
    Instant nextSyncAllowedAt(Instant now) {
        Instant allowed = syncAllowedAt();
        return health.isBlocked(now) && health.blockedUntil.isAfter(allowed) ? health.blockedUntil : allowed;
    }

    private Instant allowedAt(Kind kind, Instant now) {
        Instant retry = health.retryAt(kind);
        return retry == null || retry.isBefore(now) ? now : retry;
    }

    private Action dueSingles(Instant now, Instant syncAllowed, Instant earliest) {
        List<Long> due = new ArrayList<>();
        Instant next = earliest;
        for (Map.Entry<String, SyncRequests.Request> pending : syncs.pending().entrySet()) {
            Long id = idOf.apply(pending.getKey());
            if (id == null) {
                continue; // not (or no longer) on the account: settled after each merge
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

    // ---- what calls did ----

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

    void coveredByDetails(long id) {
        detailsPending.remove(id);
    }

    /** A merge's follow-ups: the list, details of locks whose revision rose. */
    void followUps(boolean listRefresh, Set<Long> details) {
        listRefreshNeeded |= listRefresh;
        detailsPending.addAll(details);
    }

    /** Completions that wait for the last merges to reach the listeners; taken once. */
    List<Runnable> takeAfterDelivery() {
        List<Runnable> taken = List.copyOf(afterDelivery);
        afterDelivery.clear();
        return taken;
    }

    /** A webhook for this account arrived; {@code forKnownLock}: about one of its locks, so webhooks flow. */
    void webhookReceived(Instant now, boolean forKnownLock) {
        webhooks++;
        if (forKnownLock) {
            pace.webhookArrived(now); // webhooks flow for this account's locks: polling may slow down
        }
    }

    /** An applied status webhook of the lock answers its pending sync requests that a webhook suffices for. */
    List<Runnable> answeredByWebhook(String serial, Instant now) {
        return syncs.answeredByWebhook(serial, now, lockOf.apply(serial));
    }

    /** Requests for locks no longer on the account fail (once the list is known). */
    void dropGoneSyncRequests(Predicate<String> onAccount) {
        if (listLoaded) {
            syncs.dropGone(onAccount, "is no longer on account " + account);
        }
    }

    /** Asks for a sync of one lock as soon as the floor allows; joins a pending one for the same lock. */
    CompletableFuture<MirroredLock> requestSync(String serialNumber, Instant now) {
        return syncs.ask(serialNumber, now, now, false);
    }

    /** A call succeeded: returns the recovery event to publish, or null. */
    AccountEvent succeeded(Kind kind, Instant now) {
        if (!health.succeeded(kind, now)) {
            return null;
        }
        LOG.info("account {}: calls succeed again", account);
        return new AccountEvent.AccountRecovered(account, now);
    }

    /** Applies a failed call to the account; returns the health event to publish, or null. */
    AccountEvent failed(Action action, TedeeException failure, Instant now) {
        Kind kind = Kind.of(action);
        if (failure instanceof RateLimitedException limited) {
            Instant until = health.rateLimited(now, limited.retryAfter());
            LOG.warn("account {}: rate limited by Tedee; no calls until {}", account, until);
            return degraded("rate limited by Tedee until " + until, now);
        }
        if (failure instanceof AuthenticationException) {
            LOG.warn("account {}: the Tedee API refused the credentials; no more calls to this account", account);
            return failedForGood("credentials refused (HTTP 401)", now);
        }
        boolean aboutOneLock = action instanceof Action.SyncSome || action instanceof Action.Details;
        if ((failure instanceof ForbiddenException || failure instanceof NotFoundException) && aboutOneLock) {
            listRefreshNeeded = true; // gone, or no longer ours to read: the list knows what became of the lock
            if (action instanceof Action.Details details) {
                detailsPending.remove(details.id());
            }
            // Tedee answered: this kind of call works, so an earlier failure of it must not keep the account degraded.
            return succeeded(kind, now);
        }
        if (failure instanceof ForbiddenException && kind != null) {
            LOG.warn("account {}: the Tedee API forbids {}; no more calls to this account", account, action.getClass().getSimpleName());
            return failedForGood("forbidden (HTTP 403): the key or token lacks a scope", now);
        }
        if (kind == null) {
            LOG.warn("account {}: {} failed: {}", account, action.getClass().getSimpleName(), failure.getMessage());
            return null;
        }
        return backOff(action, failure.getMessage(), now);
    }

    /** A call failed in a way that is no answer of Tedee's (a bug, a deadline): back its kind off. */
    AccountEvent failedUnexpectedly(Action action, String why, Instant now) {
        return backOff(action, why, now);
    }

    private AccountEvent backOff(Action action, String why, Instant now) {
        Kind kind = Kind.of(action);
        if (action instanceof Action.GetAll && listLoaded) {
            lastListRefresh = now; // retry the list after the gap, keep syncing the known locks meanwhile
        }
        Duration wait = health.failed(kind != null ? kind : Kind.SYNC, now, why);
        LOG.warn("account {}: {}; retrying in {} s", account, why, wait.toSeconds());
        return degraded(why, now);
    }

    private AccountEvent failedForGood(String why, Instant now) {
        fail(why);
        return new AccountEvent.AccountFailed(account, now, why);
    }

    private AccountEvent degraded(String why, Instant now) {
        return health.degrade(why) ? new AccountEvent.AccountDegraded(account, now, why) : null;
    }

    // ---- operations ----

    void queue(PendingOperation operation) {
        operations.queue(operation);
    }

    void sending(PendingOperation operation) {
        operations.sending(operation);
    }

    void operationNotSent(PendingOperation operation) {
        operations.notSent(operation);
    }

    /**
     * The call was planned but not sent (not permitted now; asked again at {@code retryAt}). As in a pause
     * Tedee asked for, operations wait in their place, except those that could only go at or after their deadline.
     */
    void notPermitted(Action action, Instant retryAt) {
        operations.notPermitted(action instanceof Action.Send send ? send.operation() : null, retryAt,
                "not sent: calls to Tedee for account " + account + " are not permitted here now");
    }

    void operationSent(PendingOperation operation, String operationId, Instant now) {
        operations.sent(operation, operationId, now.plus(settings.operationPoll()));
    }

    /** A poll could not be made: try again at the poll interval. */
    void pollFailed(PendingOperation operation, Instant now) {
        operation.nextPollAt = now.plus(settings.operationPoll());
    }

    /**
     * What Tedee said of a followed operation. Once it completed, its lock is confirmed before the
     * outcome is told: while webhooks flow the lock's webhook is awaited for {@code operationWebhookWait}
     * before a sync is spent on it (the guide: a webhook makes the sync unnecessary); otherwise the lock
     * is synced at its floor.
     */
    void operationProgress(PendingOperation operation, DeviceOperation progress, Instant now) {
        if (!operations.isFollowed(operation)) {
            return; // the engine stopped or the account failed meanwhile: already told
        }
        if (!operations.progressed(operation, progress, now.plus(settings.operationPoll()))) {
            return;
        }
        Duration wait = webhooksHealthy(now) ? settings.operationWebhookWait() : Duration.ZERO;
        syncs.ask(operation.serialNumber, now, now.plus(wait), !wait.isZero())
                .whenComplete((lock, failure) -> operations.confirmed(operation, lock, failure));
    }

    /** Credentials refused for good, or the engine stopped: everything waiting is told, nothing more is called. */
    void fail(String why) {
        fail(why, "account " + account + " failed: " + why);
    }

    /** As {@link #fail(String)}, with the message whoever waits is told (the account was removed). */
    void fail(String why, String message) {
        health.fail(why);
        operations.failAll(message);
        syncs.failAll(message);
    }

    /** A failed account (credentials refused) gets to call again: its credentials were replaced. */
    void resume() {
        health.resume("credentials replaced; checking them");
    }

    AccountStatus status(Instant now, int lockCount) {
        return new AccountStatus(account, health.health, health.reason, lockCount, webhooksHealthy(now) ? "webhooks" : "polling",
                effectiveInterval(now), budget.used(now), settings.hourlyRequestLimit(), budgetLimited, health.lastSuccess,
                health.pausedUntil(now), webhooks, pace.baseInterval(), pace.syncAllsPerHour(now)); // no periodic list refresh to add
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
