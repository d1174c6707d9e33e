package io.tedeesync.simulator.internal;

import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Things due at a simulated instant (an operation finishing, a pull spring releasing, a random hand
 * on a knob), run in time order, ties in the order they were scheduled.
 *
 * <p>Each action runs with its own due time, not with "now": a lock that finished locking at 10:00:03
 * says so even if nobody looked until 10:05. That, and the strict order, make a run independent of
 * how often {@link #runDue(Instant)} is called. Not thread-safe: the {@link World}'s monitor guards it.
 */
final class Timeline {

    private record Due(Instant at, long sequence, Consumer<Instant> action) {}

    private final PriorityQueue<Due> queue = new PriorityQueue<>((left, right) -> {
        int byTime = left.at().compareTo(right.at());
        return byTime != 0 ? byTime : Long.compare(left.sequence(), right.sequence());
    });
    private long nextSequence;

    void schedule(Instant at, Consumer<Instant> action) {
        queue.add(new Due(at, nextSequence++, action));
    }

    /** Runs everything due at or before {@code now}, including what those actions schedule. */
    void runDue(Instant now) {
        Due head;
        while ((head = queue.peek()) != null && !head.at().isAfter(now)) {
            queue.poll();
            head.action().accept(head.at());
        }
    }
}
