package io.tedeesync.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * A clock and a scheduler in one, moving only when told: {@link #advance} runs every task that falls
 * due, in time order (ties in scheduling order), setting the clock to each task's time first. Tasks run
 * on the calling thread, so a day of syncing is deterministic and takes milliseconds.
 *
 * <p>A call takes no virtual time: {@link #whenDone} waits (really) for its answer and queues the
 * continuation at the current instant; calls are made one at a time. A call is hanging when its request
 * arrives at a {@link Silence} given to {@link #hangingAt} (exact, since only this call is in flight), or
 * when it has not answered after {@link #hangAfter} of real time: its continuation is then the deadline's
 * timeout, at the deadline in virtual time, and its late answer is dropped.
 */
final class VirtualTime extends Clock implements TaskScheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private Instant now;
    private long sequence;
    /** Real time after which an unanswered call counts as hanging; long by default (no test call hangs). */
    private volatile Duration hangAfter = Duration.ofSeconds(60);
    private volatile Silence silence;
    /** The silence's held requests already taken as a hanging call's. */
    private int hangingSeen;

    VirtualTime(Instant start) {
        this.now = start;
    }

    private final class Task implements Comparable<Task>, Cancellable {
        final Instant at;
        final long order = sequence++;
        final Runnable body;
        boolean cancelled;

        Task(Instant at, Runnable body) {
            this.at = at;
            this.body = body;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }

        /** Leaves the queue at once, as on the production scheduler (remove-on-cancel): it holds nothing after. */
        @Override
        public void cancel() {
            synchronized (VirtualTime.this) {
                cancelled = true;
                queue.remove(this);
            }
        }
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Task scheduled = new Task(delay.isNegative() ? now : now.plus(delay), task);
        queue.add(scheduled);
        return scheduled;
    }

    /** Tasks scheduled and neither run nor cancelled yet. */
    synchronized int pendingTasks() {
        return queue.size();
    }

    /** Calls unanswered after this much real time hang (their deadline applies, in virtual time). */
    void hangAfter(Duration realTime) {
        this.hangAfter = realTime;
    }

    /** Calls whose request arrives at this endpoint hang (at once, whatever the real time). */
    void hangingAt(Silence endpoint) {
        this.silence = endpoint;
        this.hangingSeen = endpoint.held();
    }

    @Override
    public <T> void whenDone(CompletableFuture<T> call, Duration deadline, BiConsumer<? super T, Throwable> then) {
        long giveUpAt = System.nanoTime() + hangAfter.toNanos();
        try {
            while (true) {
                try {
                    T result = call.get(5, TimeUnit.MILLISECONDS);
                    schedule(() -> then.accept(result, null), Duration.ZERO);
                    return;
                } catch (TimeoutException notYet) {
                    Silence endpoint = silence;
                    boolean heldThere = endpoint != null && endpoint.held() > hangingSeen;
                    if (heldThere || System.nanoTime() > giveUpAt) {
                        if (heldThere) {
                            hangingSeen++;
                        }
                        schedule(() -> then.accept(null, new TimeoutException("no answer within " + deadline.toMillis() + " ms")), deadline);
                        return;
                    }
                }
            }
        } catch (ExecutionException | CancellationException failed) {
            schedule(() -> then.accept(null, TaskScheduler.unwrap(failed)), Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            schedule(() -> then.accept(null, e), Duration.ZERO);
        }
    }

    /** Runs everything due within {@code step}, then leaves the clock at the end of it. */
    void advance(Duration step) {
        Instant end = now.plus(step);
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(end)) {
                    break;
                }
                queue.poll();
                if (next.cancelled) {
                    continue;
                }
                if (next.at.isAfter(now)) {
                    now = next.at;
                }
            }
            next.body.run();
        }
        synchronized (this) {
            now = end;
        }
    }

    /** Runs what is due now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
