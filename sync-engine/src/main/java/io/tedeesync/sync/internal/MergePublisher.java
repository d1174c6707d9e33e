package io.tedeesync.sync.internal;

import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MergeResult;
import io.tedeesync.sync.Mirror;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.Observation;
import io.tedeesync.sync.SyncEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges what one account observed into its {@link Mirror} and publishes what changed: the events,
 * with the changed and removed locks, as one batch in the outbox; the follow-ups (list, details,
 * syncs) go to the account's state; the engine's directory learns the account's new list.
 *
 * <p>Not thread-safe: guarded by its worker.
 */
final class MergePublisher {
    private final String account;
    private final Mirror mirror;
    private final EventOutbox outbox;
    private final LockDirectory directory;
    private long publishedUpTo;

    MergePublisher(String account, Mirror mirror, EventOutbox outbox, LockDirectory directory) {
        this.account = account;
        this.mirror = mirror;
        this.outbox = outbox;
        this.directory = directory;
        directory.update(account, mirror.locks());
    }

    MergeResult merge(Observation observation, Instant now) {
        return mirror.apply(observation, now);
    }

    /** Takes a merge's follow-ups into the state and publishes its events. */
    void publish(MergeResult result, Instant now, AccountState state) {
        state.followUps(result.listRefreshNeeded(), result.detailsNeeded());
        boolean listChanged = false;
        for (SyncEvent event : result.events()) {
            listChanged |= event instanceof LockEvent.Added || event instanceof LockEvent.Removed || event instanceof LockEvent.IdChanged;
        }
        if (listChanged) {
            directory.update(account, mirror.locks());
        }
        for (Long id : result.syncNeeded()) {
            mirror.byId(id).ifPresent(lock -> state.requestSync(lock.serialNumber(), now));
        }
        if (!result.events().isEmpty()) {
            Map<String, MirroredLock> changed = new LinkedHashMap<>();
            Set<String> removed = new HashSet<>();
            for (SyncEvent event : result.events()) {
                if (event instanceof LockEvent lockEvent) {
                    if (event instanceof LockEvent.Removed) {
                        removed.add(lockEvent.serialNumber());
                        changed.remove(lockEvent.serialNumber());
                    } else {
                        mirror.bySerial(lockEvent.serialNumber()).ifPresent(lock -> changed.put(lock.serialNumber(), lock));
                    }
                }
            }
            publishedUpTo = outbox.publish(new ChangeBatch(account, now, result.events(), List.copyOf(changed.values()), removed));
        }
        // After publishing: nothing a waiter's callback does can keep the merge from the store.
        state.dropGoneSyncRequests(serial -> mirror.bySerial(serial).isPresent());
    }

    /** Publishes a health event (recovered, degraded, failed); null is nothing. */
    void publishHealth(AccountEvent event, Instant now) {
        if (event != null) {
            publishedUpTo = outbox.publish(new ChangeBatch(account, now, List.of(event), List.of(), Set.of()));
        }
    }

    /** The sequence of the last batch this account published (0: none). */
    long publishedUpTo() {
        return publishedUpTo;
    }
}
