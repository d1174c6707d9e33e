package io.tedeesync.sync.internal;

import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.SyncListener;
import java.util.List;
import java.util.Queue;
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
                    deliver(next.batch());
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

    private void deliver(ChangeBatch batch) {
        for (SyncListener listener : listeners) {
            try {
                listener.onChanges(batch);
            } catch (RuntimeException e) {
                LOG.error("a sync listener failed on a batch of {} event(s) for account {}; other listeners still get it",
                        batch.events().size(), batch.account(), e);
            }
        }
    }
}
