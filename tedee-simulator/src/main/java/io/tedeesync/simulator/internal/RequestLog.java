package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests received, and the sync spacing rule that counts syncs made too soon.
 *
 * <p>A served sync covers a set of lock ids (all the account's locks, the {@code ?id=} ones that
 * exist, or the single one). It is too soon when any lock it covers was covered by an earlier served
 * sync of the same account less than the floor before, or when it is an unfiltered sync-all less than
 * the floor after the previous unfiltered sync-all (which catches an account without locks too).
 * Syncs cut short by a fault or refused (401, 429) never reached the sync and cover nothing.
 *
 * <p>Keeps the latest {@value #CAPACITY} requests so a long benchmark does not grow without bound;
 * the too-soon count covers all of them. Thread-safe.
 */
final class RequestLog {

    static final int CAPACITY = 100_000;

    private final Duration syncFloor;
    private final Deque<RecordedRequest> requests = new ArrayDeque<>();
    private final Map<String, Map<Long, Instant>> lastCovered = new HashMap<>();
    private final Map<String, Instant> lastUnfilteredSync = new HashMap<>();
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
        }
    }

    /** Notes a served sync and says whether it came too soon; the caller records the request. */
    synchronized boolean noteSync(String account, Collection<Long> covered, boolean unfiltered, Instant at) {
        Map<Long, Instant> covers = lastCovered.computeIfAbsent(account, name -> new HashMap<>());
        boolean soon = covered.stream().map(covers::get).anyMatch(previous -> isWithinFloor(previous, at));
        if (unfiltered) {
            soon |= isWithinFloor(lastUnfilteredSync.get(account), at);
            lastUnfilteredSync.put(account, at);
        }
        covered.forEach(id -> covers.put(id, at));
        return soon;
    }

    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(requests);
    }

    synchronized long tooSoonCount() {
        return tooSoon;
    }

    /** Forgets the recorded requests and the count, not when locks were last synced. */
    synchronized void clear() {
        requests.clear();
        tooSoon = 0;
    }

    private boolean isWithinFloor(Instant previous, Instant at) {
        return previous != null && Duration.between(previous, at).compareTo(syncFloor) < 0;
    }
}
