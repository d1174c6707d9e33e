package io.tedeesync.simulator.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-account budget of api-rate-limiting.rst: at most N accepted requests per fixed one-hour
 * window, aligned to the clock's hour; past it, blocked "until the beginning of the next 1-hour
 * window", which is what {@code Retry-After} announces.
 *
 * <p>Thread-safe.
 */
final class RateLimiter {

    /** Allowed, or refused with the whole seconds to wait (at least 1). */
    record Decision(boolean allowed, long retryAfterSeconds) {}

    private record Window(Instant start, int used) {}

    private final int requestsPerHour;
    private final Map<String, Window> windows = new HashMap<>();

    RateLimiter(int requestsPerHour) {
        this.requestsPerHour = requestsPerHour;
    }

    synchronized Decision tryAcquire(String account, Instant at) {
        Instant start = at.truncatedTo(ChronoUnit.HOURS);
        Window window = windows.get(account);
        int used = window != null && window.start().equals(start) ? window.used() : 0;
        if (used >= requestsPerHour) {
            return new Decision(false, wholeSeconds(Duration.between(at, start.plus(Duration.ofHours(1)))));
        }
        windows.put(account, new Window(start, used + 1));
        return new Decision(true, 0);
    }

    /** A wait as {@code Retry-After} spells it: whole seconds, rounded up, at least 1. */
    static long wholeSeconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
