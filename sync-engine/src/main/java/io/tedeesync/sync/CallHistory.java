package io.tedeesync.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an account's calls to Tedee leave behind that whoever syncs it next must honour: when it last
 * synced (the 10 s floor counts from there), until when Tedee asked for no calls ({@code Retry-After}),
 * and what it used of its hourly request budget. An instance that hands an account over to another (or
 * a store that keeps it for the next start) passes this on, so that the API's rules hold across owners.
 *
 * @param lastSyncAt        when its last sync call of any form was sent or ended (the later), or null if never
 * @param blockedUntil      no call before this (a {@code Retry-After} Tedee gave), or null
 * @param requestsPerMinute requests sent, by the start of the minute they were sent in (whole UTC minutes);
 *                          only minutes of the last hour matter
 */
public record CallHistory(Instant lastSyncAt, Instant blockedUntil, SortedMap<Instant, Integer> requestsPerMinute) {
    /** Nothing known: a first owner. */
    public static final CallHistory NONE = new CallHistory(null, null, new TreeMap<>());

    public CallHistory {
        Objects.requireNonNull(requestsPerMinute, "requestsPerMinute");
        TreeMap<Instant, Integer> copy = new TreeMap<>();
        for (Map.Entry<Instant, Integer> minute : requestsPerMinute.entrySet()) {
            Instant start = Objects.requireNonNull(minute.getKey(), "minute");
            int count = Objects.requireNonNull(minute.getValue(), "count");
            if (!start.truncatedTo(ChronoUnit.MINUTES).equals(start)) {
                throw new IllegalArgumentException("a minute starts on a whole minute: " + start);
            }
            if (count < 0) {
                throw new IllegalArgumentException("a minute's request count cannot be negative: " + count);
            }
            if (count > 0) {
                copy.merge(start, count, Integer::sum);
            }
        }
        requestsPerMinute = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * The requests sent in the hour before {@code now}, counted as the budget counts them (whole minutes):
     * a minute counts until an hour after it ended, so the current minute and the 60 before it.
     */
    public int requestsInHourBefore(Instant now) {
        Instant from = now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        return requestsPerMinute.tailMap(from).headMap(now.plusMillis(1)).values().stream().mapToInt(Integer::intValue).sum();
    }
}
