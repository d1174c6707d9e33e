package io.tedeesync.sync.internal;

import io.tedeesync.sync.AccountHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * One account's health, kept per kind of call: a failing call backs off only its own kind, and only
 * a success of that kind clears it. So a lock whose details keep failing does not make the account
 * flap between degraded and recovered at every successful sync in between; the account is degraded
 * while any kind fails or Tedee asked for a pause ({@code 429}), and recovers when none does.
 *
 * <p>Not thread-safe: guarded by its worker.
 */
final class CallHealth {

    /** What a call is, for its failures and backoff. */
    enum Kind {
        LIST, SYNC, DETAILS;

        /** The kind of call, for its backoff; null for operations (they are told their own failure, and retried by nobody). */
        static Kind of(Action action) {
            if (action instanceof Action.GetAll) {
                return LIST;
            }
            if (action instanceof Action.SyncAll || action instanceof Action.SyncSome) {
                return SYNC;
            }
            return action instanceof Action.Details ? DETAILS : null;
        }
    }

    private record Failing(int count, Instant retryAt, String reason) {
    }

    private final Duration backoffBase;
    private final Duration backoffCap;
    private final Random random;
    private final Map<Kind, Failing> failing = new EnumMap<>(Kind.class);
    /** {@code 429}s in a row, whatever call got them: Tedee's limit is the account's. */
    private int rateLimits;

    AccountHealth health = AccountHealth.STARTING;
    String reason;
    Instant lastSuccess;
    /** Nothing at all before this: Tedee answered 429. */
    Instant blockedUntil;

    CallHealth(Duration backoffBase, Duration backoffCap, Random random) {
        this.backoffBase = backoffBase;
        this.backoffCap = backoffCap;
        this.random = random;
    }

    /** A call of this kind succeeded: clears that kind; returns whether the account just recovered. */
    boolean succeeded(Kind kind, Instant now) {
        lastSuccess = now;
        rateLimits = 0;
        if (kind != null) {
            failing.remove(kind);
        }
        if (health == AccountHealth.FAILED || !failing.isEmpty() || isBlocked(now)) {
            return false;
        }
        boolean recovered = health == AccountHealth.DEGRADED;
        health = AccountHealth.OK;
        reason = null;
        return recovered;
    }

    /** A transient failure of this kind of call: backs that kind off; returns the wait. */
    Duration failed(Kind kind, Instant now, String why) {
        int count = count(kind) + 1;
        Duration wait = Backoff.delay(count, backoffBase, backoffCap, random);
        failing.put(kind, new Failing(count, now.plus(wait), why));
        return wait;
    }

    /**
     * A {@code 429}: no call of any kind before the later of {@code Retry-After} and the backoff, which
     * grows with each 429 in a row, so a {@code Retry-After: 0} (or negative, unreadable, or a past
     * date) is never a retry at once. Returns the end of the pause.
     */
    Instant rateLimited(Instant now, Duration retryAfter) {
        Duration wait = Backoff.delay(++rateLimits, backoffBase, backoffCap, random);
        if (retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        blockedUntil = now.plus(wait);
        return blockedUntil;
    }

    /** Marks the account degraded with this reason; returns whether it just became so. */
    boolean degrade(String why) {
        reason = why;
        if (health == AccountHealth.OK || health == AccountHealth.STARTING) {
            health = AccountHealth.DEGRADED;
            return true;
        }
        return false;
    }

    void fail(String why) {
        health = AccountHealth.FAILED;
        reason = why;
    }

    /** New credentials after a failure: degraded until a call succeeds with them, and no backoff left to wait. */
    void resume(String why) {
        health = AccountHealth.DEGRADED;
        reason = why;
        failing.clear();
    }

    boolean isBlocked(Instant now) {
        return blockedUntil != null && now.isBefore(blockedUntil);
    }

    /** When a call of this kind may be made again (null: now). */
    Instant retryAt(Kind kind) {
        Failing failure = failing.get(kind);
        return failure == null ? null : failure.retryAt();
    }

    boolean isFailing(Kind kind) {
        return failing.containsKey(kind);
    }

    /** Whether a kind other than this one is failing. */
    boolean othersFailing(Kind kind) {
        return failing.size() > (failing.containsKey(kind) ? 1 : 0);
    }

    /** The next moment of any pause: the 429's, else the earliest backoff (null: none). */
    Instant pausedUntil(Instant now) {
        if (isBlocked(now)) {
            return blockedUntil;
        }
        Instant earliest = null;
        for (Failing failure : failing.values()) {
            if (failure.retryAt().isAfter(now) && (earliest == null || failure.retryAt().isBefore(earliest))) {
                earliest = failure.retryAt();
            }
        }
        return earliest;
    }

    private int count(Kind kind) {
        Failing failure = failing.get(kind);
        return failure == null ? 0 : failure.count();
    }
}
