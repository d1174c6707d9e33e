package io.tedeesync.sync.internal;

import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.ForbiddenException;
import io.tedeesync.client.NotFoundException;
import io.tedeesync.client.RateLimitedException;
import io.tedeesync.client.TedeeException;
import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.internal.CallHealth.Kind;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed call does to its account, by what the caller does next: a {@code 429} pauses every call
 * of the account (at least the backoff, growing with each 429 in a row); a refused key or a missing
 * scope fails the account for good; a lock gone (404) or no longer ours (403) asks for the list; an
 * operation's failure is its own; anything else backs off that kind of call and degrades the account.
 * One WARN line each, never a stack trace. Stateless; called under the account's guard.
 */
final class FailurePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(AccountWorker.class);

    private FailurePolicy() {
    }

    /** Applies the failure to the account's state; returns the health event to publish, or null. */
    static AccountEvent apply(AccountState state, Action action, TedeeException failure, Instant now) {
        String account = state.account;
        Kind kind = kindOf(action);
        if (failure instanceof RateLimitedException limited) {
            Instant until = state.health.rateLimited(now, limited.retryAfter());
            LOG.warn("account {}: rate limited by Tedee; no calls until {}", account, until);
            return degraded(state, "rate limited by Tedee until " + until, now);
        }
        if (failure instanceof AuthenticationException) {
            LOG.warn("account {}: the Tedee API refused the credentials; no more calls to this account", account);
            return failed(state, "credentials refused (HTTP 401)", now);
        }
        boolean aboutOneLock = action instanceof Action.SyncSome || action instanceof Action.Details;
        if ((failure instanceof ForbiddenException || failure instanceof NotFoundException) && aboutOneLock) {
            state.listRefreshNeeded = true; // gone, or no longer ours to read: the list knows what became of the lock
            if (action instanceof Action.Details details) {
                state.detailsPending.remove(details.id());
            }
            // Tedee answered: this kind of call works, so an earlier failure of it must not keep the account degraded.
            return state.health.succeeded(kind, now) ? new AccountEvent.AccountRecovered(account, now) : null;
        }
        if (failure instanceof ForbiddenException && kind != null) {
            LOG.warn("account {}: the Tedee API forbids {}; no more calls to this account", account, action.getClass().getSimpleName());
            return failed(state, "forbidden (HTTP 403): the key or token lacks a scope", now);
        }
        if (kind == null) {
            LOG.warn("account {}: {} failed: {}", account, action.getClass().getSimpleName(), failure.getMessage());
            return null;
        }
        if (action instanceof Action.GetAll && state.listLoaded) {
            state.lastListRefresh = now; // retry the list after the gap, keep syncing the known locks meanwhile
        }
        Duration wait = state.health.failed(kind, now, failure.getMessage());
        LOG.warn("account {}: {}; retrying in {} s", account, failure.getMessage(), wait.toSeconds());
        return degraded(state, failure.getMessage(), now);
    }

    /** The kind of call, for its backoff; null for operations (they are told their own failure, and retried by nobody). */
    static Kind kindOf(Action action) {
        if (action instanceof Action.GetAll) {
            return Kind.LIST;
        }
        if (action instanceof Action.SyncAll || action instanceof Action.SyncSome) {
            return Kind.SYNC;
        }
        return action instanceof Action.Details ? Kind.DETAILS : null;
    }

    private static AccountEvent failed(AccountState state, String why, Instant now) {
        state.fail(why);
        return new AccountEvent.AccountFailed(state.account, now, why);
    }

    private static AccountEvent degraded(AccountState state, String why, Instant now) {
        return state.health.degrade(why) ? new AccountEvent.AccountDegraded(state.account, now, why) : null;
    }
}
