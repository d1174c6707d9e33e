package io.tedeesync.sync;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A durable listener that takes every batch until {@link #stick()}, then hangs on each (as a store whose
 * database stopped answering), on a delivery thread of its own, until closed.
 */
final class StuckStore implements SyncListener, AutoCloseable {
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicBoolean stuck = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    /** The delivery executor to give the engine, so that a hang holds this thread and not the test's. */
    ExecutorService thread() {
        return thread;
    }

    /** From now on every batch hangs. */
    void stick() {
        stuck.set(true);
    }

    @Override
    public void onChanges(ChangeBatch batch) {
        if (stuck.get()) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        released.countDown();
        thread.shutdownNow();
    }
}
