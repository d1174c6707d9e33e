package io.tedeesync.sync.internal;

import io.tedeesync.sync.TaskScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Spreads the first lock lists of thousands of accounts: at most {@code limit} of them in flight, the
 * others wait their turn in arrival order. A permit comes back when the call answers; a call still
 * unanswered after {@code slowAfter} moves aside to one of {@code limit * SLOW_FACTOR} places for slow
 * calls and frees its place: a hanging account holds a place only that long and never keeps the
 * healthy ones waiting for its timeout, while the calls in flight stay bounded however slow the API is
 * (with every slow place taken, a slow call keeps its place until it answers). Thread-safe.
 */
public final class CallGate {
    /** Slow calls may be this many times the limit, beside it. */
    static final int SLOW_FACTOR = 4;

    private final int limit;
    private final int slowLimit;
    private final Duration slowAfter;
    private final TaskScheduler scheduler;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;
    private int slowInFlight;

    public CallGate(int limit, Duration slowAfter, TaskScheduler scheduler) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be positive, was " + limit);
        }
        this.limit = limit;
        this.slowLimit = limit * SLOW_FACTOR;
        this.slowAfter = slowAfter;
        this.scheduler = scheduler;
    }

    /** A place in the gate: give it back once (later returns are ignored). */
    public final class Permit {
        private boolean returned;
        private boolean slow;
        private TaskScheduler.Cancellable slowTimer;

        /** The call answered (or failed, or was not made). */
        public void release() {
            Runnable next = null;
            synchronized (CallGate.this) {
                if (returned) {
                    return;
                }
                returned = true;
                if (slowTimer != null) {
                    slowTimer.cancel();
                }
                if (slow) {
                    slowInFlight--;
                } else {
                    next = passOn();
                }
            }
            start(next);
        }

        /** Unanswered after {@code slowAfter}: moves aside, if a slow place is free, and lets the next one go. */
        private void slowedDown() {
            Runnable next;
            synchronized (CallGate.this) {
                if (returned || slow || slowInFlight >= slowLimit) {
                    return;
                }
                slow = true;
                slowInFlight++;
                next = passOn();
            }
            start(next);
        }
    }

    /** Runs {@code start} with a permit now if a place is free, else once one is; {@code start} must release it. */
    public void enter(Consumer<Permit> start) {
        Runnable go = () -> {
            Permit permit = new Permit();
            try {
                TaskScheduler.Cancellable timer = scheduler.schedule(permit::slowedDown, slowAfter);
                synchronized (this) {
                    permit.slowTimer = timer;
                }
            } catch (RejectedExecutionException stopped) {
                // the engine is stopping: the call will not be made and gives its place back at once
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

    /** A place is free: the next waiting account takes it (the count stays), or it is counted free. Under the monitor. */
    private Runnable passOn() {
        Runnable next = waiting.poll();
        if (next == null) {
            inFlight--;
        }
        return next;
    }

    private void start(Runnable next) {
        if (next == null) {
            return;
        }
        try {
            scheduler.schedule(next, Duration.ZERO); // the place passes on, without ever being free in between
        } catch (RejectedExecutionException stopped) {
            next.run(); // stopping: the account finds itself closed and gives the place back
        }
    }
}
