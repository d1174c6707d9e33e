package io.tedeesync.sync.internal;

import io.tedeesync.sync.TaskScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Spreads the first lock lists of thousands of accounts: at most {@code limit} of them in flight, the
 * others wait their turn in arrival order. A permit comes back when the call answers, or after
 * {@code slowAfter} if it has not: a hanging account holds a place only that long, and never keeps
 * the healthy ones waiting behind it for its timeout. Thread-safe.
 */
public final class CallGate {
    private final int limit;
    private final Duration slowAfter;
    private final TaskScheduler scheduler;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    public CallGate(int limit, Duration slowAfter, TaskScheduler scheduler) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be positive, was " + limit);
        }
        this.limit = limit;
        this.slowAfter = slowAfter;
        this.scheduler = scheduler;
    }

    /** A place in the gate: give it back once (later returns are ignored). */
    public final class Permit {
        private boolean returned;
        private TaskScheduler.Cancellable slowTimer;

        /** The call answered (or failed): the next waiting account may go. */
        public void release() {
            Runnable next;
            synchronized (CallGate.this) {
                if (returned) {
                    return;
                }
                returned = true;
                if (slowTimer != null) {
                    slowTimer.cancel();
                }
                next = waiting.poll();
                if (next == null) {
                    inFlight--;
                }
            }
            if (next != null) {
                scheduler.schedule(next, Duration.ZERO); // the place passes on, without ever being free in between
            }
        }
    }

    /** Runs {@code start} with a permit now if one is free, else once one is; {@code start} must release it. */
    public void enter(java.util.function.Consumer<Permit> start) {
        Permit permit = new Permit();
        Runnable go = () -> {
            synchronized (this) {
                permit.slowTimer = scheduler.schedule(permit::release, slowAfter);
            }
            start.accept(permit);
        };
        synchronized (this) {
            if (inFlight >= limit) {
                waiting.add(go);
                return;
            }
            inFlight++;
        }
        go.run();
    }

    /** Accounts waiting for a place. */
    public synchronized int waiting() {
        return waiting.size();
    }
}
