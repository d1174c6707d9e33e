package io.tedeesync.sync.internal;

import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.SyncListener;
import io.tedeesync.sync.TaskScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers change batches to listeners in the order they were published, one batch at a time,
 * without holding any account lock: accounts publish under their own lock (which fixes the order) and
 * deliver after releasing it. Whichever thread finds the outbox free delivers everything queued.
 *
 * <p>The durable listener (the store), if any, gets each batch first, and a batch counts as delivered
 * only once it took it. When it fails, the batch stays at the head of the queue, every later batch
 * waits behind it, and delivery is tried again after a backoff (1 s doubling to 30 s) on the engine's
 * scheduler: so nothing merged is ever lost or reordered, the store catches up by itself once it
 * works again, and waiters learn at once that their batch is not written yet. The other listeners get
 * a batch after the durable one took it; their failures are logged and not retried. Thread-safe.
 */
public final class EventOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(EventOutbox.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final Queue<Sequenced> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();
    private final SyncListener durable;
    private final TaskScheduler scheduler;
    private final Object progress = new Object();
    private long published;
    private long delivered;
    /** Whether the durable listener refused the head of the queue and a retry is scheduled. Guarded by progress. */
    private boolean retryPending;
    private Duration nextRetry = FIRST_RETRY;

    private record Sequenced(long sequence, ChangeBatch batch) {
    }

    /**
     * @param durable   the listener that makes changes durable, or null for none
     * @param scheduler where retries of the durable listener run
     */
    public EventOutbox(SyncListener durable, TaskScheduler scheduler) {
        this.durable = durable;
        this.scheduler = scheduler;
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
                Sequenced next;
                while ((next = queue.peek()) != null) {
                    if (!deliverDurably(next.batch())) {
                        scheduleRetry();
                        return;
                    }
                    queue.poll();
                    deliverToOthers(next.batch());
                    synchronized (progress) {
                        delivered = next.sequence();
                        progress.notifyAll();
                    }
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

    private boolean deliverDurably(ChangeBatch batch) {
        if (durable == null) {
            return true;
        }
        try {
            durable.onChanges(batch);
            synchronized (progress) {
                nextRetry = FIRST_RETRY;
            }
            return true;
        } catch (RuntimeException e) {
            // The store's own line says why; this one says what happens next.
            LOG.warn("{} change(s) of account {} are not written yet; kept in order and retried in {} s ({} batch(es) waiting)",
                    batch.events().size(), batch.account(), nextRetry.toSeconds(), backlog());
            LOG.debug("durable listener failure", e);
            return false;
        }
    }

    private void scheduleRetry() {
        Duration delay;
        synchronized (progress) {
            retryPending = true;
            delay = nextRetry;
            nextRetry = nextRetry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : nextRetry.multipliedBy(2);
            progress.notifyAll(); // waiters learn now that their batch is not written yet
        }
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
        drain();
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
