package io.tedeesync.server;

import io.tedeesync.store.LockStore;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.SyncListener;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every batch to the store, first among the listeners, and remembers whether the last write
 * worked: the webhook route answers 2xx only while it does, and {@code /health} shows it. Thread-safe.
 */
final class StoreWriter implements SyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    private final LockStore store;
    private final AtomicBoolean healthy = new AtomicBoolean(true);

    StoreWriter(LockStore store) {
        this.store = store;
    }

    @Override
    public void onChanges(ChangeBatch batch) {
        try {
            store.onChanges(batch);
            if (healthy.compareAndSet(false, true)) {
                LOG.info("the store accepts writes again");
            }
        } catch (RuntimeException e) {
            healthy.set(false);
            LOG.warn("could not write {} change(s) of account {} to the store: {}", batch.events().size(), batch.account(), e.getMessage());
            throw e;
        }
    }

    boolean healthy() {
        return healthy.get();
    }
}
