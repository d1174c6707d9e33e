package io.tedeesync.server;

import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.SyncEvent;
import io.tedeesync.sync.SyncListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per real change, and one per account when its locks are first known. Thread-safe. */
final class ChangeLog implements SyncListener {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    @Override
    public void onChanges(ChangeBatch batch) {
        long added = batch.events().stream().filter(LockEvent.Added.class::isInstance).count();
        if (added > 0 && announced.add(batch.account())) {
            LOG.info("account {}: {} lock(s) mirrored", batch.account(), added);
            return;
        }
        for (SyncEvent event : batch.events()) {
            String who = event instanceof LockEvent lock ? event.account() + " " + lock.serialNumber() : event.account();
            LOG.info("{}: {}", who, ChangeDescriptions.describe(event));
        }
    }

}
