package io.tedeesync.sync.internal;

import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MergeResult;
import io.tedeesync.sync.Mirror;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.Observation;
import io.tedeesync.sync.SyncEvent;
import io.tedeesync.client.Entries;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockSync;
import io.tedeesync.client.UnreadableEntry;
import io.tedeesync.sync.internal.CallHealth.Kind;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges what one account observed (answers, webhooks) into its {@link Mirror} and publishes what changed: the events,
 * with the changed and removed locks, as one batch in the outbox; the follow-ups (list, details,
 * syncs) go to the account's state; the engine's directory learns the account's new list.
 *
 * <p>Not thread-safe: guarded by its worker.
 */
final class MergePublisher {
    /** The account's lines come under one logger name, whichever part of it writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(AccountWorker.class);

    private final String account;
    private final Mirror mirror;
    private final EventOutbox outbox;
    private final LockDirectory directory;
    private long publishedUpTo;
    /** Unreadable answer elements already reported, so each is logged once. */
    private final Set<String> reportedUnreadable = new HashSet<>();

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

    /** A successful answer of a list, sync or details call: merged, its coverage recorded, published. */
    @SuppressWarnings("unchecked")
    void answered(Action action, Instant started, Object answer, Instant now, AccountState state) {
        if (action instanceof Action.GetAll) {
            Entries<Lock> locks = (Entries<Lock>) answer;
            reportUnreadable("get-all", locks.unreadable());
            MergeResult result = merge(new Observation.LockList(locks.readable(), locks.unreadable(), started), now);
            state.coveredByGetAll(now);
            published(result, Kind.LIST, now, state);
        } else if (action instanceof Action.SyncAll) {
            Entries<LockSync> locks = (Entries<LockSync>) answer;
            reportUnreadable("sync", locks.unreadable());
            MergeResult result = merge(new Observation.Sync(locks.readable(), Set.of(), locks.unreadable(), started), now);
            state.coveredBySyncAll(started, now);
            published(result, Kind.SYNC, now, state);
        } else if (action instanceof Action.SyncSome some) {
            Entries<LockSync> locks = (Entries<LockSync>) answer;
            List<String> serials = some.ids().stream().map(mirror::byId).flatMap(Optional::stream).map(MirroredLock::serialNumber).toList();
            reportUnreadable("sync", locks.unreadable());
            MergeResult result = merge(new Observation.Sync(locks.readable(), Set.copyOf(some.ids()), locks.unreadable(), started), now);
            state.coveredBySingles(started, serials);
            published(result, Kind.SYNC, now, state);
        } else if (action instanceof Action.Details details) {
            MergeResult result = merge(new Observation.Details((Lock) answer, started), now);
            state.coveredByDetails(details.id());
            published(result, Kind.DETAILS, now, state);
        } else {
            throw new IllegalArgumentException("not an answer to merge: " + action);
        }
    }

    private void published(MergeResult result, Kind kind, Instant now, AccountState state) {
        publish(result, now, state);
        publishHealth(state.succeeded(kind, now), now);
    }

    /**
     * One WARN line per lock the answer could not be read for (which lock, why; its last known state is
     * kept), the first time only: a lock that stays unreadable does not fill the log every 20 s.
     */
    private void reportUnreadable(String answer, List<UnreadableEntry> unreadable) {
        for (UnreadableEntry entry : unreadable) {
            String which = entry.serialNumber() != null ? entry.serialNumber() : entry.id() != null ? "id " + entry.id() : "(no id)";
            if (reportedUnreadable.add(which + ": " + entry.reason())) {
                LOG.warn("account {}: skipped lock {} in the {} answer ({}); its last known state is kept", account, which, answer, entry.reason());
            }
        }
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
