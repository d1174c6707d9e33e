package io.tedeesync.sync.internal;

import io.tedeesync.client.Endpoint;
import io.tedeesync.client.RequestListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Requests an account made in the last hour, counted as the client sends them (failed ones, 401
 * retries and every page of get-all included), kept as counts per minute: 61 numbers per account
 * whatever the request rate, no object per request. A request counts until the end of its minute
 * plus an hour, so the count never falls below the sliding hour's true count: staying under the limit
 * here keeps it in every sliding hour, and so in every fixed hour, whichever Tedee applies. Thread-safe.
 */
public final class RequestBudget implements RequestListener {
    static final Duration WINDOW = Duration.ofHours(1);
    private static final long MINUTE_MS = 60_000;
    /** The window's minutes, plus the one a request is made in. */
    private static final int SLOTS = 61;

    private final Clock clock;
    /** Requests per minute; slot {@code m % SLOTS} holds minute {@code m} (epoch minutes) while it is in the window. */
    private final int[] counts = new int[SLOTS];
    private final long[] minuteOf = new long[SLOTS];

    public RequestBudget(Clock clock) {
        this.clock = clock;
        java.util.Arrays.fill(minuteOf, Long.MIN_VALUE);
    }

    @Override
    public synchronized void onRequest(Endpoint endpoint, int statusCode, Duration latency) {
        long minute = Math.floorDiv(clock.millis(), MINUTE_MS);
        int slot = (int) Math.floorMod(minute, SLOTS);
        if (minuteOf[slot] != minute) {
            minuteOf[slot] = minute;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** Requests that may lie in the hour before {@code now}. */
    public synchronized int used(Instant now) {
        long nowMs = now.toEpochMilli();
        int used = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            if (counts(slot, nowMs)) {
                used += counts[slot];
            }
        }
        return used;
    }

    /** The earliest time at which fewer than {@code allowed} requests may lie in the window. */
    public synchronized Instant availableAt(Instant now, int allowed) {
        long current = Math.floorDiv(now.toEpochMilli(), MINUTE_MS);
        int excess = used(now) - allowed;
        if (excess < 0) {
            return now;
        }
        for (long minute = current - SLOTS + 1; minute <= current; minute++) {
            int slot = (int) Math.floorMod(minute, SLOTS);
            if (minuteOf[slot] == minute && counts(slot, now.toEpochMilli())) {
                excess -= counts[slot];
                if (excess < 0) {
                    Instant free = Instant.ofEpochMilli((minute + 1) * MINUTE_MS).plus(WINDOW);
                    return free.isAfter(now) ? free : now;
                }
            }
        }
        return now.plus(WINDOW);
    }

    /** Whether the slot's minute is still in the window at {@code current}: it ends an hour after the minute does. */
    private boolean counts(int slot, long nowMs) {
        long minute = minuteOf[slot];
        return minute != Long.MIN_VALUE && minute * MINUTE_MS <= nowMs && (minute + 1) * MINUTE_MS + WINDOW.toMillis() > nowMs;
    }
}
