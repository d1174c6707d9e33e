package io.tedeesync.sync;

import static io.tedeesync.sync.ReadingMerge.isOlder;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DeviceType;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockSync;
import io.tedeesync.client.UnreadableEntry;
import io.tedeesync.client.webhook.BellButtonPressed;
import io.tedeesync.client.webhook.DeviceBatteryLevelChanged;
import io.tedeesync.client.webhook.DeviceConnectionChanged;
import io.tedeesync.client.webhook.DeviceSettingsChanged;
import io.tedeesync.client.webhook.LockStatusChanged;
import io.tedeesync.client.webhook.WebhookNotification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One account's copy of its locks, and the merge rules: the functional core of the engine. It takes an
 * {@link Observation} and the time and returns the events it implies and the calls it needs; it reads
 * no clock, starts no thread and does no I/O, so every rule can be tested by feeding it values.
 *
 * <p>The rules: the serial number is the identity; an unknown id in a sync answer, or a known lock
 * missing from a complete one, asks for the list again rather than inventing or dropping a lock (only
 * the list adds, removes, or re-ids; details of a lock the copy does not know under that id ask for
 * the list too); a different configuration revision asks for the lock's details; a
 * position older than the one known (by the API's event time) never overwrites it; newer wins for
 * what carries no time of its own (connection, battery): an answer requested before the lock's last
 * merged reading (a webhook that arrived while it was on its way) does not undo that reading; a
 * disconnected lock's position is history, not current; events are emitted only for real changes.
 *
 * <p>What one lock's reading does to its copy is {@link ReadingMerge}'s; this class finds the lock and
 * keeps the index.
 *
 * <p>Not thread-safe: the engine confines each mirror to one account and guards it.
 */
public final class Mirror {
    private final String account;
    private final Map<String, MirroredLock> bySerial = new LinkedHashMap<>();
    private final Map<Long, String> serialById = new HashMap<>();
    /** Serials a drastic list left out once; the next list that leaves them out again removes them. */
    private final Set<String> missingUnconfirmed = new HashSet<>();
    /** Engine time as of which each lock's reading is known: an answer requested before it is older news. Not persisted. */
    private final Map<String, Instant> readingAt = new HashMap<>();

    public Mirror(String account) {
        this.account = Objects.requireNonNull(account, "account");
    }

    public String account() {
        return account;
    }

    /**
     * Starts from a saved copy (e.g. the durable store), without emitting events for it. Every copy in a
     * mirror names the mirror's account, so a saved lock is taken as this account's.
     */
    public void seed(Collection<MirroredLock> locks) {
        bySerial.clear();
        serialById.clear();
        for (MirroredLock lock : locks) {
            put(lock.account().equals(account) ? lock : lock.withAccount(account));
        }
    }

    public List<MirroredLock> locks() {
        return List.copyOf(bySerial.values());
    }

    public Optional<MirroredLock> bySerial(String serialNumber) {
        return Optional.ofNullable(bySerial.get(serialNumber));
    }

    public Optional<MirroredLock> byId(long id) {
        String serial = serialById.get(id);
        return serial == null ? Optional.empty() : Optional.ofNullable(bySerial.get(serial));
    }

    public int size() {
        return bySerial.size();
    }

    /** Merges one observation made at {@code now} (engine clock). */
    public MergeResult apply(Observation observation, Instant now) {
        Objects.requireNonNull(now, "now");
        Merge merge = new Merge(account, now, observation.requestedAt() != null ? observation.requestedAt() : now);
        if (observation instanceof Observation.LockList list) {
            reconcile(list.locks(), list.unreadable(), merge);
        } else if (observation instanceof Observation.Sync sync) {
            sync(sync, merge);
        } else if (observation instanceof Observation.Details details) {
            details(details.lock(), merge);
        } else if (observation instanceof Observation.Webhook webhook) {
            webhook(webhook.notification(), merge);
        } else {
            throw new IllegalArgumentException("unknown observation " + observation);
        }
        return merge.result();
    }

    /** A complete list: adds, re-ids and removes; merges everything else. */
    private void reconcile(List<Lock> locks, List<UnreadableEntry> unreadable, Merge merge) {
        Set<String> listed = new HashSet<>();
        boolean unidentified = false;
        for (UnreadableEntry entry : unreadable) {
            String serial = entry.serialNumber() != null ? entry.serialNumber() : entry.id() != null ? serialById.get(entry.id()) : null;
            if (serial != null) {
                listed.add(serial); // on the list, unreadable this time: keep what is known of it
            } else {
                unidentified = true;
            }
        }
        for (Lock lock : locks) {
            if (!listed.add(lock.serialNumber())) {
                continue; // the same serial twice in one list: the first one wins
            }
            upsert(lock, EventSource.GET_ALL, merge);
        }
        List<MirroredLock> missing = new ArrayList<>();
        for (MirroredLock known : bySerial.values()) {
            if (!listed.contains(known.serialNumber())) {
                missing.add(known);
            }
        }
        if (unidentified && !missing.isEmpty()) {
            return; // an element nobody can name may be any of the missing: remove nothing on this list
        }
        // A list that would drop most of the account (an empty answer, a narrowed key; the only lock of a
        // one-lock account) is confirmed by the next list before anything known is thrown away.
        boolean drastic = !missing.isEmpty() && missing.size() * 2 > bySerial.size();
        if (drastic && !missingUnconfirmed.containsAll(serials(missing))) {
            missingUnconfirmed.clear();
            missingUnconfirmed.addAll(serials(missing));
            merge.listRefreshNeeded = true;
            return;
        }
        missingUnconfirmed.clear();
        for (MirroredLock known : missing) {
            remove(known);
            merge.events.add(new LockEvent.Removed(account, known.serialNumber(), known.id(), merge.now, merge.now,
                    EventSource.GET_ALL));
        }
    }

    /** Details of a known lock; anything else (unknown serial, another id) is a question for the list. */
    private void details(Lock lock, Merge merge) {
        MirroredLock known = bySerial.get(lock.serialNumber());
        if (known == null || known.id() != lock.id()) {
            merge.listRefreshNeeded = true;
            merge.ignored = true;
            return;
        }
        upsert(lock, EventSource.DETAILS, merge);
    }

    private void upsert(Lock lock, EventSource source, Merge merge) {
        MirroredLock previous = bySerial.get(lock.serialNumber());
        if (previous == null) {
            MirroredLock added = MirroredLock.firstSeen(account, lock, merge.now);
            put(added);
            readingAt.put(added.serialNumber(), merge.observedAt);
            Instant occurred = added.stateAt() != null ? added.stateAt() : merge.now;
            merge.events.add(new LockEvent.Added(account, added.serialNumber(), added.id(), occurred, merge.now, source, added));
            return;
        }
        MirroredLock current = previous;
        if (previous.id() != lock.id()) {
            serialById.remove(previous.id(), previous.serialNumber());
            current = previous.withId(lock.id());
            merge.events.add(new LockEvent.IdChanged(account, lock.serialNumber(), lock.id(), merge.now, merge.now, source,
                    previous.id()));
        }
        current = mergeReading(current, lock.connected(), lock.deviceState(), source, merge);
        boolean nameChanged = !current.name().equals(lock.name());
        boolean settingsChanged = lock.settings() != null && !lock.settings().equals(current.settings());
        // The list's revision is adopted as is (a re-added lock starts again at 1), but only a rise,
        // a new name or new settings is a change worth an event.
        if (lock.revision() > current.revision() || nameChanged || settingsChanged) {
            merge.events.add(new LockEvent.SettingsChanged(account, lock.serialNumber(), lock.id(), merge.now, merge.now,
                    source, current.name(), lock.name(), current.revision(), lock.revision()));
        }
        // An answer without settings keeps the ones fetched before.
        put(current.withConfiguration(lock.name(), lock.typeCode(), lock.revision(),
                lock.settings() != null ? lock.settings() : current.settings()).withSyncedAt(merge.now));
    }

    private void sync(Observation.Sync sync, Merge merge) {
        Set<Long> answered = new HashSet<>();
        boolean unidentified = false;
        for (UnreadableEntry entry : sync.unreadable()) {
            if (entry.id() != null) {
                answered.add(entry.id()); // there, but unreadable this time: keep what is known of it
            } else {
                unidentified = true;
            }
        }
        for (LockSync entry : sync.locks()) {
            answered.add(entry.id());
            String serial = serialById.get(entry.id());
            if (serial == null) {
                merge.listRefreshNeeded = true; // re-added or new lock: only the list can say which
                continue;
            }
            MirroredLock previous = bySerial.get(serial);
            MirroredLock next = mergeReading(previous, entry.connected(), entry.deviceState(), EventSource.SYNC, merge);
            put(next.withSyncedAt(merge.now));
            // Higher: the configuration changed. Lower happens too (a re-added lock starts again at 1):
            // the copy is not the lock's configuration either way, so fetch it.
            if (entry.revision() != null && entry.revision() != previous.revision()) {
                merge.detailsNeeded.add(entry.id());
            }
        }
        Collection<Long> expected = unidentified ? List.of() : sync.complete() ? serialById.keySet() : sync.requested();
        for (Long id : expected) {
            if (!answered.contains(id)) {
                merge.listRefreshNeeded = true; // removed, or re-added under a new id: the list decides
                break;
            }
        }
    }

    private void webhook(WebhookNotification notification, Merge merge) {
        String serial = serialById.get(notification.deviceId());
        if (serial == null) {
            merge.ignored = true;
            // Bridges and keypads send webhooks too; they are never in the lock list, so asking for it
            // again would be a refresh every time one of them reports.
            merge.listRefreshNeeded = !(notification instanceof io.tedeesync.client.webhook.UnknownWebhook)
                    && mayBeALock(notification);
            return;
        }
        MirroredLock previous = bySerial.get(serial);
        int eventsBefore = merge.events.size();
        webhookReading(notification, serial, previous, merge);
        if (merge.events.size() > eventsBefore) {
            readingAt.put(serial, merge.observedAt); // news as of now: any answer requested before it is older
        }
    }

    private void webhookReading(WebhookNotification notification, String serial, MirroredLock previous, Merge merge) {
        Instant eventTime = notification.eventTime() != null ? notification.eventTime() : merge.now;
        if (notification instanceof LockStatusChanged status) {
            if (isOlder(eventTime, previous.stateAt())) {
                merge.ignored = true;
                return;
            }
            // No battery or charging in this webhook: null keeps the known ones (and their times).
            DeviceState reading = new DeviceState(status.stateCode(), status.doorStateCode(), null, null, null, eventTime);
            MirroredLock online = previous;
            if (!previous.connected() && !isOlder(eventTime, previous.connectionAt())) {
                online = merge.readings.connection(previous, true, eventTime, EventSource.WEBHOOK);
            }
            int before = merge.events.size();
            put(mergeReading(online, online.connected(), reading, EventSource.WEBHOOK, merge).withSyncedAt(merge.now));
            merge.ignored = merge.events.size() == before; // nothing new: a duplicate, or a lock that is offline
        } else if (notification instanceof DeviceConnectionChanged connection) {
            if (isOlder(eventTime, previous.connectionAt())) {
                // Tedee's event time and our clock are not the same clock: an "older" webhook that
                // contradicts the copy may still be the newer truth. Only a sync can say.
                if (connection.connected() != previous.connected()) {
                    merge.syncNeeded.add(previous.id());
                }
                merge.ignored = true;
                return;
            }
            MirroredLock next = merge.readings.connection(previous, connection.connected(), eventTime, EventSource.WEBHOOK);
            if (connection.connected() && !previous.connected()) {
                merge.syncNeeded.add(previous.id()); // back online: where it stands now only a sync can say
            }
            put(next.withSyncedAt(merge.now));
        } else if (notification instanceof DeviceBatteryLevelChanged battery) {
            if (isOlder(eventTime, previous.batteryAt())) {
                merge.ignored = true;
                return;
            }
            put(merge.readings.battery(previous, battery.batteryLevel(), eventTime, EventSource.WEBHOOK).withSyncedAt(merge.now));
        } else if (notification instanceof DeviceSettingsChanged settings) {
            if (settings.revision() != previous.revision()) {
                merge.detailsNeeded.add(previous.id()); // the name alone is not the configuration: fetch it
            } else {
                merge.ignored = true;
            }
        } else if (notification instanceof BellButtonPressed) {
            merge.events.add(new LockEvent.BellPressed(account, serial, previous.id(), eventTime, merge.now, EventSource.WEBHOOK));
        } else {
            merge.ignored = true;
        }
    }

    /**
     * Newer wins, for every observation: an answer requested before the lock's reading was last
     * merged (by a webhook that arrived while it was on its way, say) is older news for what carries no
     * time (connection, battery, charging) and is not merged at all.
     */
    private boolean superseded(String serialNumber, Merge merge) {
        Instant known = readingAt.get(serialNumber);
        return known != null && merge.observedAt.isBefore(known);
    }

    /** Merges what a lock reports about itself ({@link ReadingMerge#reading}), unless {@linkplain #superseded newer news} is known. */
    private MirroredLock mergeReading(MirroredLock previous, boolean connected, DeviceState reading, EventSource source,
            Merge merge) {
        if (superseded(previous.serialNumber(), merge)) {
            return previous;
        }
        readingAt.put(previous.serialNumber(), merge.observedAt);
        return merge.readings.reading(previous, connected, reading, source);
    }

    private static List<String> serials(List<MirroredLock> locks) {
        List<String> serials = new ArrayList<>(locks.size());
        locks.forEach(lock -> serials.add(lock.serialNumber()));
        return serials;
    }

    private void put(MirroredLock lock) {
        bySerial.put(lock.serialNumber(), lock);
        serialById.put(lock.id(), lock.serialNumber());
    }

    private void remove(MirroredLock lock) {
        bySerial.remove(lock.serialNumber());
        readingAt.remove(lock.serialNumber());
        serialById.remove(lock.id(), lock.serialNumber());
    }

    private static boolean mayBeALock(WebhookNotification notification) {
        int type = notification instanceof DeviceConnectionChanged c ? c.deviceTypeCode()
                : notification instanceof DeviceBatteryLevelChanged b ? b.deviceTypeCode()
                : notification instanceof DeviceSettingsChanged s ? s.deviceTypeCode()
                : -1;
        DeviceType kind = DeviceType.fromCode(type);
        return kind == DeviceType.LOCK_PRO || kind == DeviceType.LOCK_GO || kind == DeviceType.UNKNOWN;
    }

    /** The accumulating result of one {@link #apply}. */
    private static final class Merge {
        final Instant now;
        /** As of when the observation tells: when its request was sent, or now. */
        final Instant observedAt;
        final List<SyncEvent> events = new ArrayList<>(4);
        final ReadingMerge readings;
        final Set<Long> detailsNeeded = new HashSet<>();
        final Set<Long> syncNeeded = new HashSet<>();
        boolean listRefreshNeeded;
        boolean ignored;

        Merge(String account, Instant now, Instant observedAt) {
            this.now = now;
            this.observedAt = observedAt;
            this.readings = new ReadingMerge(account, now, events);
        }

        MergeResult result() {
            return new MergeResult(events, listRefreshNeeded, detailsNeeded, syncNeeded, ignored);
        }
    }
}
