package io.tedeesync.store;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockSettings;
import io.tedeesync.client.LockState;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEvent;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Locks, events and batches as the engine makes them. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final LockSettings ALL_SETTINGS =
            new LockSettings(true, 30, false, 5, true, 2, false, true, 10, true, false, true, 120, false);

    private Fixtures() {
    }

    static Instant at(long seconds) {
        return T0.plus(Duration.ofSeconds(seconds));
    }

    /** A connected lock in the given position with everything known. */
    static MirroredLock lock(String account, String serialNumber, long id, LockState state) {
        return new MirroredLock(account, serialNumber, id, "Door " + serialNumber, 2, 7, true, true,
                new DeviceState(state.code(), DoorState.CLOSED.code(), 80, false, 0, T0.minusSeconds(60)),
                ALL_SETTINGS, T0, T0.minusSeconds(60), T0.minusSeconds(3600), T0.minusSeconds(120));
    }

    static MirroredLock withId(MirroredLock lock, long id) {
        return new MirroredLock(lock.account(), lock.serialNumber(), id, lock.name(), lock.typeCode(), lock.revision(),
                lock.connected(), lock.positionCurrent(), lock.lastKnown(), lock.settings(), lock.syncedAt(),
                lock.stateAt(), lock.connectionAt(), lock.batteryAt());
    }

    static LockEvent.StateChanged stateChanged(MirroredLock lock, LockState from, LockState to, Instant observedAt) {
        return new LockEvent.StateChanged(lock.account(), lock.serialNumber(), lock.id(), observedAt.minusSeconds(1),
                observedAt, EventSource.SYNC, from, from == null ? null : from.code(), to, to.code());
    }

    static LockEvent.Added added(MirroredLock lock, Instant observedAt) {
        return new LockEvent.Added(lock.account(), lock.serialNumber(), lock.id(), observedAt, observedAt,
                EventSource.GET_ALL, lock);
    }

    /** A batch that adds the lock: its snapshot and its {@code Added} event. */
    static ChangeBatch adding(MirroredLock lock, Instant observedAt) {
        return new ChangeBatch(lock.account(), observedAt, List.of(added(lock, observedAt)), List.of(lock), Set.of());
    }

    /** A batch that moves the lock to {@code to}: the new snapshot and its {@code StateChanged} event. */
    static ChangeBatch moving(MirroredLock lock, LockState to, Instant observedAt) {
        MirroredLock moved = new MirroredLock(lock.account(), lock.serialNumber(), lock.id(), lock.name(), lock.typeCode(),
                lock.revision(), lock.connected(), lock.positionCurrent(),
                new DeviceState(to.code(), lock.lastKnown().doorStateCode(), lock.lastKnown().batteryLevel(),
                        lock.lastKnown().charging(), 0, observedAt.minusSeconds(1)),
                lock.settings(), observedAt, observedAt.minusSeconds(1), lock.connectionAt(), lock.batteryAt());
        return new ChangeBatch(lock.account(), observedAt,
                List.of(stateChanged(lock, lock.lastKnown().state(), to, observedAt)), List.of(moved), Set.of());
    }

    /** What a server's sealed credentials look like: long, opaque, and findable in any text that quotes them. */
    static String sealed(String account) {
        return "sealed:v1:" + account + ":bm90LWEtcmVhbC1rZXktYnV0LWxvbmctZW5vdWdo";
    }

    /** An account added {@code addedAt}, every field set. */
    static StoredAccount account(String name, Instant addedAt) {
        return new StoredAccount(name, "personal-key", sealed(name), URI.create("https://api.tedee.com"), "v1.36",
                Duration.ofSeconds(45), "ada@example.com", addedAt, addedAt);
    }

    static ChangeBatch events(String account, Instant observedAt, SyncEvent... events) {
        return new ChangeBatch(account, observedAt, List.of(events), List.of(), Set.of());
    }
}
