package io.tedeesync.sync.internal;

import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.SyncListener;
import io.tedeesync.sync.TaskScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers change batches to listeners in the order they were published, without holding any account
 * lock: accounts publish under their own lock (which fixes the order) and deliver after releasing it.
 * Whichever thread finds the outbox free delivers everything queued.
 *
 * <p>The durable listener (the store), if any, gets everything queued at once (up to
 * {@value #GROUP_LIMIT} batches: one transaction for all of them, group commit), and a batch counts as
 * delivered only once it took it. When it fails, the group stays at the head of the queue, every later batch
 * waits behind it, and delivery is tried again after a backoff (1 s doubling to 30 s) on the engine's
 * scheduler: so nothing merged is ever lost or reordered, the store catches up by itself once it
 * works again, and waiters learn at once that their batch is not written yet. The other listeners get
 * a batch after the durable one took it; their failures are logged and not retried. Thread-safe.
 */
public final class EventOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(EventOutbox.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    /** At most this many batches in one write of the durable listener. */
    static final int GROUP_LIMIT = 512;

    private final Queue<Sequenced> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();
    private final SyncListener durable;
    private final TaskScheduler scheduler;
    private final Executor deliveries;
    private final Object progress = new Object();
    private long published;
    private long delivered;
    /** Whether the durable listener refused the head of the queue and a retry is scheduled. Guarded by progress. */
    private boolean retryPending;
    private Duration nextRetry = FIRST_RETRY;
    /** Those waiting without blocking for a sequence to be delivered. Guarded by progress. */
    private final List<Waiter> waiters = new ArrayList<>();

    /** {@code untilTaken}: not told when the durable listener fails, only once it took the batch. */
    private record Waiter(long sequence, CompletableFuture<Void> delivered, boolean untilTaken) {
    }

    private record Sequenced(long sequence, ChangeBatch batch) {
    }

    /**
     * @param durable    the listener that makes changes durable, or null for none
     * @param scheduler  where retries of the durable listener are scheduled
     * @param deliveries where {@link #drainLater} delivers (a store's own thread, so that no engine thread
     *                   waits for a database); {@code Runnable::run} delivers on the publishing thread
     */
    public EventOutbox(SyncListener durable, TaskScheduler scheduler, Executor deliveries) {
        this.durable = durable;
        this.scheduler = scheduler;
        this.deliveries = deliveries;
    }

    /** Delivers what is queued on the delivery executor (at once, if it no longer takes work). Call without locks. */
    public void drainLater() {
        try {
            deliveries.execute(this::drain);
        } catch (RejectedExecutionException stopped) {
            drain();
        }
    }

    public void addListener(SyncListener listener) {
        listeners.add(listener);
    }

    public void removeListener(SyncListener listener) {
        listeners.remove(listener);
    }

    /** Queues a batch; call while holding the lock that orders the changes. Returns its sequence number. */
    public long publish(ChangeBatch batch) {
        synchronized (progress) {
            long sequence = ++published;
            queue.add(new Sequenced(sequence, batch));
            return sequence;
        }
    }

    /**
     * Delivers everything published so far, waiting (at most {@code timeout}) for a delivery another
     * thread is making; returns early when the durable listener is failing. For a clean stop.
     */
    public void flush(Duration timeout) throws InterruptedException {
        long last;
        synchronized (progress) {
            last = published;
        }
        awaitDelivered(last, timeout);
    }

    /** The engine stops: delivers what it can within {@code timeout}, and says what the store did not take. */
    public void flushAtClose(Duration timeout) {
        try {
            flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int unwritten = backlog();
        if (unwritten > 0) {
            // Under the engine's name: it is the engine's stop that leaves them.
            LoggerFactory.getLogger(io.tedeesync.sync.SyncEngine.class).warn(
                    "stopping with {} change batch(es) the store did not take; the next start syncs those locks again", unwritten);
        }
    }

    /** Batches published and not yet taken by the durable listener. */
    public int backlog() {
        synchronized (progress) {
            return (int) (published - delivered);
        }
    }

    /**
     * Delivers what is queued, unless another thread is doing so (it will deliver ours too), or the
     * durable listener failed and its retry is not due yet. Call without locks.
     */
    public void drain() {
        while (!queue.isEmpty()) {
            synchronized (progress) {
                if (retryPending) {
                    return;
                }
            }
            if (!delivering.tryLock()) {
                return;
            }
            try {
                List<Sequenced> group;
                while (!(group = head()).isEmpty()) {
                    if (!deliverDurably(group)) {
                        scheduleRetry();
                        return;
                    }
                    for (Sequenced next : group) {
                        queue.poll();
                        deliverToOthers(next.batch());
                    }
                    advance(group.get(group.size() - 1).sequence());
                }
            } finally {
                delivering.unlock();
            }
        }
    }

    /**
     * Delivers, then waits until the batch with this sequence number (and every one before it) was taken
     * by the durable listener and handed to the others. Returns false, without waiting further, when the
     * durable listener is failing (the batch is kept and retried), or after {@code timeout}.
     */
    public boolean awaitDelivered(long sequence, Duration timeout) throws InterruptedException {
        if (sequence <= 0) {
            return true;
        }
        drain();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (delivered < sequence) {
                long left = deadline - System.nanoTime();
                if (retryPending || left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return true;
    }

    /**
     * Runs {@code completions} once, when the batch with this sequence number was delivered (as
     * {@link #whenDelivered}) or after {@code wait} at the latest: whoever waits for a merge must find its
     * changes written, and is told anyway while the store is failing or slow. Never blocks.
     */
    public void tellWhenDelivered(long sequence, List<Runnable> completions, Duration wait) {
        if (completions.isEmpty()) {
            return;
        }
        AtomicBoolean told = new AtomicBoolean();
        Runnable tell = () -> {
            if (told.compareAndSet(false, true)) {
                completions.forEach(Runnable::run);
            }
        };
        whenDelivered(sequence).thenRun(tell);
        try {
            scheduler.schedule(tell, wait);
        } catch (RejectedExecutionException stopped) {
            tell.run();
        }
    }

    /**
     * Completes once the batch with this sequence number (and every one before it) was delivered, or
     * once the durable listener failed while it was not (the batch is kept and retried; waiters are not
     * kept waiting for the store). Never blocks.
     */
    public CompletableFuture<Void> whenDelivered(long sequence) {
        synchronized (progress) {
            if (sequence <= delivered || retryPending) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> future = new CompletableFuture<>();
            waiters.add(new Waiter(sequence, future, false));
            return future;
        }
    }

    /**
     * Completes with true once the batch with this sequence number (and every one before it) was delivered:
     * unlike {@link #whenDelivered}, not before, even while the durable listener fails; for a caller that
     * must not be overtaken by the batch's write (it purges what the batch writes). Completes with false
     * once {@code wait} passed first (on the scheduler): a stuck store does not hold it forever. Never blocks.
     */
    public CompletableFuture<Boolean> whenTaken(long sequence, Duration wait) {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        synchronized (progress) {
            if (sequence <= delivered) {
                return CompletableFuture.completedFuture(true);
            }
            waiters.removeIf(waiter -> waiter.delivered().isDone()); // those that stopped waiting for a stuck store
            waiters.add(new Waiter(sequence, taken, true));
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            TaskScheduler.Cancellable timer = scheduler.schedule(() -> {
                taken.cancel(false);
                result.complete(false);
            }, wait);
            taken.thenRun(() -> {
                timer.cancel();
                result.complete(true);
            });
        } catch (RejectedExecutionException stopped) {
            result.complete(taken.isDone()); // the scheduler stopped: nothing can wait
        }
        return result;
    }

    private List<Sequenced> head() {
        List<Sequenced> group = new ArrayList<>();
        for (Sequenced next : queue) {
            if (group.size() == GROUP_LIMIT) {
                break;
            }
            group.add(next);
        }
        return group;
    }

    private void advance(long upTo) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (progress) {
            delivered = upTo;
            progress.notifyAll();
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (waiter.sequence() <= upTo) {
                    ready.add(waiter);
                    it.remove();
                }
            }
        }
        ready.forEach(waiter -> waiter.delivered().complete(null));
    }

    private boolean deliverDurably(List<Sequenced> group) {
        if (durable == null) {
            return true;
        }
        List<ChangeBatch> batches = new ArrayList<>(group.size());
        group.forEach(next -> batches.add(next.batch()));
        try {
            durable.onBatches(batches);
            synchronized (progress) {
                nextRetry = FIRST_RETRY;
            }
            return true;
        } catch (RuntimeException e) {
            // The store's own line says why; this one says what happens next.
            LOG.warn("{} change batch(es) are not written yet; kept in order and retried in {} s ({} batch(es) waiting)",
                    batches.size(), nextRetry.toSeconds(), backlog());
            LOG.debug("durable listener failure", e);
            return false;
        }
    }

    private void scheduleRetry() {
        Duration delay;
        List<Waiter> told;
        synchronized (progress) {
            retryPending = true;
            delay = nextRetry;
            nextRetry = nextRetry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : nextRetry.multipliedBy(2);
            progress.notifyAll(); // waiters learn now that their batch is not written yet
            told = waiters.stream().filter(waiter -> !waiter.untilTaken()).toList();
            waiters.removeIf(waiter -> !waiter.untilTaken());
        }
        told.forEach(waiter -> waiter.delivered().complete(null));
        try {
            scheduler.schedule(this::retry, delay);
        } catch (RuntimeException stopped) {
            LOG.warn("could not schedule a retry of the store write ({}); it is tried with the next change", stopped.toString());
            synchronized (progress) {
                retryPending = false;
            }
        }
    }

    private void retry() {
        synchronized (progress) {
            retryPending = false;
        }
        drainLater();
    }

    private void deliverToOthers(ChangeBatch batch) {
        for (SyncListener listener : listeners) {
            try {
                listener.onChanges(batch);
            } catch (RuntimeException e) {
                // A listener bug shows its stack at DEBUG; the others still get the batch.
                LOG.warn("a listener failed on {} change(s) of account {} ({}); the other listeners still got them",
                        batch.events().size(), batch.account(), e.toString());
                LOG.debug("listener failure", e);
            }
        }
    }
}
