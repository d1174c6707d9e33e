package io.tedeesync.sync.internal;

import io.tedeesync.sync.CallHistory;
import io.tedeesync.sync.SyncSettings;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What one account's calls leave behind for the rules that count across calls, and across owners of the
 * account: when it last synced (the 10 s floor counts from there), which call is on its way, and, kept by
 * the account's {@link CallHealth} and {@link RequestBudget}, the pause Tedee asked for and the requests of
 * the last hour. Seeded from the {@link CallHistory} a previous owner left; taken as one for the next, so
 * that an account moved between instances keeps the API's rules as if it had never moved. No I/O, no
 * clock reads.
 *
 * <p>Not thread-safe: guarded by its worker.
 */
final class CallLedger {
    private final CallHealth health;
    private final RequestBudget budget;
    /** When the last sync call of any form ended (or began, while it runs): the floor counts from here. */
    private Instant lastSync;
    /** The call sent and not answered yet, if any: its request is not in the budget yet, and a sync's floor still moves. */
    private Action onItsWay;
    /** Whether that call is still being handed to the HTTP client (past the last check, not yet sent). */
    private boolean handing;
    /** Who waits for it to be sent: the account was closed meanwhile. */
    private CompletableFuture<Void> whenSent;

    CallLedger(CallHealth health, RequestBudget budget) {
        this.health = health;
        this.budget = budget;
    }

    /** A call is sent: a sync's floor counts from its request while it runs (and from its end after). */
    void started(Action action, Instant at) {
        onItsWay = action;
        handing = true;
        if (AccountCalls.isSync(action)) {
            lastSync = at;
        }
    }

    /** The call is with the HTTP client (sent, or failed to be): returns who waits for that, if anyone does. */
    CompletableFuture<Void> sent() {
        CompletableFuture<Void> waiting = whenSent;
        handing = false;
        whenSent = null;
        return waiting;
    }

    /**
     * Completes once no call is being handed to the HTTP client: for an account just closed, from then on
     * none of its calls starts. The check that it is open comes before the call is handed over, outside
     * the worker's guard (no lock is held across I/O), so a call may pass it just before the close.
     */
    CompletableFuture<Void> whenNoneStarting() {
        if (!handing) {
            return CompletableFuture.completedFuture(null);
        }
        if (whenSent == null) {
            whenSent = new CompletableFuture<>();
        }
        return whenSent;
    }

    /** The call answered or failed: the floor of a sync counts from the later of its start and its end. */
    void ended(Action action, Instant at) {
        onItsWay = null;
        if (AccountCalls.isSync(action)) {
            lastSync = at;
        }
    }

    /** When the account may sync again, in any form: {@link SyncSettings#SYNC_FLOOR} after the last sync. */
    Instant syncAllowedAt() {
        return lastSync == null ? Instant.MIN : lastSync.plus(SyncSettings.SYNC_FLOOR);
    }

    /**
     * What a previous owner's calls left: the floor counts from its last sync, no call goes before the
     * pause Tedee asked of it, and its requests count in the budget. For a new account, before any call.
     */
    void seed(CallHistory history, Instant now) {
        lastSync = history.lastSyncAt();
        health.blockedUntil = history.blockedUntil();
        budget.seed(history.requestsPerMinute(), now);
    }

    /**
     * What the account's calls leave for its next owner. A sync on its way counts as made now (its end,
     * from which the floor would count, is still to come), and a call on its way as one request in the
     * current minute (the budget counts a request once it ends).
     */
    CallHistory history(Instant now) {
        Instant lastSyncAt = onItsWay != null && AccountCalls.isSync(onItsWay) ? now : lastSync;
        return new CallHistory(lastSyncAt, health.isBlocked(now) ? health.blockedUntil : null, budget.minutes(now, onItsWay != null ? 1 : 0));
    }
}
