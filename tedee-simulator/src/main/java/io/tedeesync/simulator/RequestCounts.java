package io.tedeesync.simulator;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many requests the simulator received on {@code /api} and {@code /oauth2} since it was built or
 * {@link TedeeSimulator#clearRequests()} was last called: counters, so they stay cheap and exact at
 * any rate and over any length of run, unlike the bounded {@link TedeeSimulator#requests()} log.
 * Control requests ({@code /_sim}) are not counted.
 *
 * <p>Immutable and thread-safe: the maps are sorted, unmodifiable copies.
 *
 * @param requests every request counted
 * @param byStatus requests by the HTTP status answered ({@code 0}: the connection was dropped by a fault)
 * @param byRoute requests by route as the docs write it, e.g. {@code GET /my/lock/sync} or
 *     {@code POST /oauth2/v2.0/token}; a request that matched no route counts under {@code "other"}
 * @param syncCallsTooSoon what {@link TedeeSimulator#syncCallsTooSoon()} says
 */
public record RequestCounts(long requests, Map<Integer, Long> byStatus, Map<String, Long> byRoute,
        long syncCallsTooSoon) {

    public RequestCounts {
        byStatus = Collections.unmodifiableMap(new TreeMap<>(byStatus));
        byRoute = Collections.unmodifiableMap(new TreeMap<>(byRoute));
    }

    /** The requests answered with this status. */
    public long withStatus(int status) {
        return byStatus.getOrDefault(status, 0L);
    }
}
