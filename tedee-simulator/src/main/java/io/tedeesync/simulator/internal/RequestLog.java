package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests received, and the sync floor rule that counts syncs made too soon.
 *
 * <p>The floor is account-wide: every authenticated sync request of an account (sync-all, an
 * {@code ?id=} batch, sync single, in any mix) is too soon when it comes less than the floor after
 * the account's previous sync request, counted from request to request. Whatever it was answered
 * counts (a fault, a 429, a 404 for an unknown id): the client sent it. Two exceptions: a request
 * refused as unauthenticated (401) belongs to no account, and a dropped connection is not noted (the
 * JDK client resends a dropped GET at once by itself). A too-soon request still moves the mark.
 *
 * <p>Keeps the latest {@value #CAPACITY} requests so a long benchmark does not grow without bound;
 * the too-soon count covers all of them. Thread-safe.
 */
final class RequestLog {

    static final int CAPACITY = 100_000;

    private final Duration syncFloor;
    private final Deque<RecordedRequest> requests = new ArrayDeque<>();
    private final Map<String, Instant> lastSync = new HashMap<>();
    private final Map<String, Long> tooSoonByAccount = new HashMap<>();
    private long tooSoon;

    RequestLog(Duration syncFloor) {
        this.syncFloor = syncFloor;
    }

    synchronized void record(RecordedRequest request) {
        if (requests.size() == CAPACITY) {
            requests.removeFirst();
        }
        requests.addLast(request);
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

    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(requests);
    }

    synchronized long tooSoonCount() {
        return tooSoon;
    }

    synchronized long tooSoonCount(String account) {
        return tooSoonByAccount.getOrDefault(account, 0L);
    }

    /** Forgets the recorded requests and the counts, not when each account last synced. */
    synchronized void clear() {
        requests.clear();
        tooSoon = 0;
        tooSoonByAccount.clear();
    }
}
