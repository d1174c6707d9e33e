package io.tedeesync.sync.internal;

import io.tedeesync.client.Endpoint;
import io.tedeesync.client.RequestListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

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

    /**
     * Counts requests another owner of the account made ({@code CallHistory.requestsPerMinute}) as if this
     * budget had seen them. A minute ahead of this clock (the other owner's clock ran ahead) counts in the
     * current one, so that none is lost; one already out of the window counts for nothing, as a request of
     * this budget's own would (and, the minutes coming in order, a later minute of its slot replaces it).
     */
    public synchronized void seed(SortedMap<Instant, Integer> requestsPerMinute, Instant now) {
        long current = Math.floorDiv(now.toEpochMilli(), MINUTE_MS);
        for (Map.Entry<Instant, Integer> counted : requestsPerMinute.entrySet()) {
            long minute = Math.min(current, Math.floorDiv(counted.getKey().toEpochMilli(), MINUTE_MS));
            int slot = (int) Math.floorMod(minute, SLOTS);
            if (minuteOf[slot] != minute) {
                minuteOf[slot] = minute;
                counts[slot] = 0;
            }
            counts[slot] += counted.getValue();
        }
    }

    /**
     * The minutes that still count at {@code now}, by their start, with {@code onItsWay} more in the current
     * minute: a request still unanswered is counted only once it ends, and whoever takes these over must
     * not miss it.
     */
    public synchronized SortedMap<Instant, Integer> minutes(Instant now, int onItsWay) {
        SortedMap<Instant, Integer> minutes = new TreeMap<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            if (counts(slot, now.toEpochMilli())) {
                minutes.put(Instant.ofEpochMilli(minuteOf[slot] * MINUTE_MS), counts[slot]);
            }
        }
        if (onItsWay > 0) {
            minutes.merge(Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), MINUTE_MS) * MINUTE_MS), onItsWay, Integer::sum);
        }
        return minutes;
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
