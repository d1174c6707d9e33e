package io.tedeesync.sync.internal;

import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.SyncListener;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers change batches to listeners in the order they were published, one batch at a time,
 * without holding any account lock: accounts publish under their own lock (which fixes the order) and
 * deliver after releasing it. Whichever thread finds the outbox free delivers everything queued.
 * Thread-safe.
 */
public final class EventOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(EventOutbox.class);

    private final Queue<Sequenced> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();
    private final Object progress = new Object();
    private long published;
    private long delivered;
    /** Sequences a listener failed on, kept for a while so a waiter can learn its batch was not written. */
    private final java.util.Set<Long> failed = ConcurrentHashMap.newKeySet();

    private record Sequenced(long sequence, ChangeBatch batch) {
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

    /** Delivers what is queued, unless another thread is doing so (it will deliver ours too). Call without locks. */
    public void drain() {
        while (!queue.isEmpty()) {
            if (!delivering.tryLock()) {
                return;
            }
            try {
                Sequenced next;
                while ((next = queue.poll()) != null) {
                    if (!deliver(next.batch())) {
                        failed.add(next.sequence());
                        long horizon = next.sequence() - 10_000;
                        failed.removeIf(sequence -> sequence < horizon);
                    }
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
     * Delivers, then waits until the batch with this sequence number has reached every listener. If
     * another thread holds the outbox, it re-checks the queue after releasing it, so ours is delivered.
     */
    public void awaitDelivered(long sequence) throws InterruptedException {
        drain();
        synchronized (progress) {
            while (delivered < sequence) {
                progress.wait();
            }
        }
    }

    /**
     * Like {@link #awaitDelivered(long)}, but gives up after {@code timeout}. Returns whether the batch
     * reached every listener without one of them failing on it.
     */
    public boolean awaitDelivered(long sequence, java.time.Duration timeout) throws InterruptedException {
        if (sequence <= 0) {
            return true;
        }
        drain();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (delivered < sequence) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return !failed.contains(sequence);
    }

    /** Returns whether every listener took the batch. */
    private boolean deliver(ChangeBatch batch) {
        boolean all = true;
        for (SyncListener listener : listeners) {
            try {
                listener.onChanges(batch);
            } catch (RuntimeException e) {
                all = false;
                // A store outage is expected trouble (one line); a listener bug shows its stack at DEBUG.
                LOG.warn("a listener failed on {} change(s) of account {} ({}); the other listeners still got them",
                        batch.events().size(), batch.account(), e.toString());
                LOG.debug("listener failure", e);
            }
        }
        return all;
    }
}
