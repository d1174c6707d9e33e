package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.RequestCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests received, counters of them, and the sync floor rule that counts syncs made too soon.
 *
 * <p>The floor is account-wide: every authenticated sync request of an account (sync-all, an
 * {@code ?id=} batch, sync single, in any mix) is too soon when it comes less than the floor after
 * the account's previous sync request, counted from request to request. Whatever it was answered
 * counts (a fault, a 429, a 404 for an unknown id): the client sent it. Two exceptions: a request
 * refused as unauthenticated (401) belongs to no account, and a dropped connection is not noted (the
 * JDK client resends a dropped GET at once by itself). A too-soon request still moves the mark.
 *
 * <p>Keeps the latest {@code capacity} requests in a ring, so a long benchmark at hundreds of requests
 * a second does not grow without bound; the counters and the too-soon count cover all of them.
 * Thread-safe; every method holds the log's monitor for a few field updates only.
 */
final class RequestLog {

    static final int DEFAULT_CAPACITY = 100_000;
    static final String NO_ROUTE = "other";

    private final Duration syncFloor;
    private final RecordedRequest[] ring;
    private int next;
    private int size;
    private final Map<String, Instant> lastSync = new HashMap<>();
    private final Map<String, Long> tooSoonByAccount = new HashMap<>();
    private final Map<Integer, Long> byStatus = new HashMap<>();
    private final Map<String, Long> byRoute = new HashMap<>();
    private long total;
    private long tooSoon;

    RequestLog(Duration syncFloor, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("The request log capacity must not be negative");
        }
        this.syncFloor = syncFloor;
        this.ring = new RecordedRequest[capacity];
    }

    /** @param route the route as the docs write it ({@code GET /my/lock/sync}), or {@link #NO_ROUTE} */
    synchronized void record(RecordedRequest request, String route) {
        if (ring.length > 0) {
            ring[next] = request;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }
        total++;
        byStatus.merge(request.status(), 1L, Long::sum);
        byRoute.merge(route, 1L, Long::sum);
        if (request.syncTooSoon()) {
            tooSoon++;
            tooSoonByAccount.merge(request.account(), 1L, Long::sum);
        }
    }

    /** Notes an authenticated sync request of the account and says whether it came too soon; the caller records it. */
    synchronized boolean noteSync(String account, Instant at) {
        Instant previous = lastSync.get(account);
        if (previous == null || at.isAfter(previous)) {
            lastSync.put(account, at); // a slow answer noted late must not move the mark back
        }
        return previous != null && Duration.between(previous, at).abs().compareTo(syncFloor) < 0;
    }

    /** The kept requests, oldest first. */
    synchronized List<RecordedRequest> snapshot() {
        List<RecordedRequest> copy = new ArrayList<>(size);
        int first = (next - size + ring.length) % Math.max(1, ring.length);
        for (int i = 0; i < size; i++) {
            copy.add(ring[(first + i) % ring.length]);
        }
        return List.copyOf(copy);
    }

    synchronized RequestCounts counts() {
        return new RequestCounts(total, byStatus, byRoute, tooSoon);
    }

    synchronized long tooSoonCount() {
        return tooSoon;
    }

    synchronized long tooSoonCount(String account) {
        return tooSoonByAccount.getOrDefault(account, 0L);
    }

    /** Forgets the recorded requests and the counts, not when each account last synced. */
    synchronized void clear() {
        Arrays.fill(ring, null);
        next = 0;
        size = 0;
        total = 0;
        tooSoon = 0;
        tooSoonByAccount.clear();
        byStatus.clear();
        byRoute.clear();
    }
}
