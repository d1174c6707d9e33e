package io.tedeesync.sync;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DeviceType;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The mirror's copy of one lock: immutable, keyed by serial number.
 *
 * <p>{@link #lastKnown()} is the last state the lock reported while connected; it is history.
 * {@link #state()} is the current state, and is null whenever the position is not known now: the lock
 * is disconnected, or it reconnected and has not reported its position since.
 *
 * @param account         name of the account the lock was seen through
 * @param serialNumber    the identity
 * @param id              the current lock id (changes on re-add)
 * @param name            the lock's name
 * @param typeCode        raw device type
 * @param revision        configuration revision of the copy
 * @param connected       connected to the cloud
 * @param positionCurrent whether {@link #lastKnown()} is the position now (false after a disconnect until the lock reports again)
 * @param lastKnown       last reported state (position, door, battery, charging), or null if never reported
 * @param settings        configuration, or null when not fetched
 * @param syncedAt        when an API answer or webhook last confirmed this lock (engine clock)
 * @param stateAt         event time of the position in {@link #lastKnown()} (API time), or null
 * @param connectionAt    when the connection flag was last set (API or engine time), or null
 * @param batteryAt       when the battery level was last set (API or engine time), or null
 */
public record MirroredLock(
        String account,
        String serialNumber,
        long id,
        String name,
        int typeCode,
        long revision,
        boolean connected,
        boolean positionCurrent,
        DeviceState lastKnown,
        LockSettings settings,
        Instant syncedAt,
        Instant stateAt,
        Instant connectionAt,
        Instant batteryAt) {

    public MirroredLock {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(syncedAt, "syncedAt");
    }

    /** The current state, or null when the position is unknown now (see the class comment). */
    public DeviceState state() {
        return connected && positionCurrent ? lastKnown : null;
    }

    public DeviceType type() {
        return DeviceType.fromCode(typeCode);
    }

    /** Whether the copy is older than {@code threshold}: nothing confirmed it since. */
    public boolean isStale(Instant now, Duration threshold) {
        return Duration.between(syncedAt, now).compareTo(threshold) > 0;
    }

    /*
     * How the mirror changes a copy, one wither per kind of change: a call site names what it changes and
     * cannot put one of the four Instants in another's place. Only these call the full constructor.
     */

    /** A lock as a list or its details show it for the first time: confirmed now, connection and battery as of now. */
    static MirroredLock firstSeen(String account, Lock lock, Instant now) {
        DeviceState reported = lock.deviceState();
        return new MirroredLock(account, lock.serialNumber(), lock.id(), lock.name(), lock.typeCode(), lock.revision(),
                lock.connected(), reported != null, reported, lock.settings(), now,
                reported == null ? null : reported.lastStateChangedDate(), now, reported == null ? null : now);
    }

    MirroredLock withSyncedAt(Instant when) {
        return new MirroredLock(account, serialNumber, id, name, typeCode, revision, connected, positionCurrent,
                lastKnown, settings, when, stateAt, connectionAt, batteryAt);
    }

    /** The same lock as a copy of another account's mirror. */
    MirroredLock withAccount(String newAccount) {
        return new MirroredLock(newAccount, serialNumber, id, name, typeCode, revision, connected, positionCurrent,
                lastKnown, settings, syncedAt, stateAt, connectionAt, batteryAt);
    }

    /** The same lock (same serial number) under another id: it was re-added. */
    MirroredLock withId(long newId) {
        return new MirroredLock(account, serialNumber, newId, name, typeCode, revision, connected, positionCurrent,
                lastKnown, settings, syncedAt, stateAt, connectionAt, batteryAt);
    }

    /** The configuration as the API shows it now; {@code newSettings} null means not fetched. */
    MirroredLock withConfiguration(String newName, int newTypeCode, long newRevision, LockSettings newSettings) {
        return new MirroredLock(account, serialNumber, id, newName, newTypeCode, newRevision, connected, positionCurrent,
                lastKnown, newSettings, syncedAt, stateAt, connectionAt, batteryAt);
    }

    /** The connection flag as set at {@code at}; whether the position is current is left as it was. */
    MirroredLock withConnection(boolean isConnected, Instant at) {
        return new MirroredLock(account, serialNumber, id, name, typeCode, revision, isConnected, positionCurrent,
                lastKnown, settings, syncedAt, stateAt, at, batteryAt);
    }

    /** The last known position is history: not current until the lock reports it again. */
    MirroredLock withPositionAsHistory() {
        return new MirroredLock(account, serialNumber, id, name, typeCode, revision, connected, false,
                lastKnown, settings, syncedAt, stateAt, connectionAt, batteryAt);
    }

    /**
     * What a connected lock reported, its position current again; {@code newStateAt} is the event time of
     * the position in {@code reading}. The battery's time is {@link #withBatteryAt}'s.
     */
    MirroredLock withReading(DeviceState reading, Instant newStateAt) {
        return new MirroredLock(account, serialNumber, id, name, typeCode, revision, connected, true,
                reading, settings, syncedAt, newStateAt, connectionAt, batteryAt);
    }

    /** The battery level in {@link #lastKnown()} is as of {@code at}. */
    MirroredLock withBatteryAt(Instant at) {
        return new MirroredLock(account, serialNumber, id, name, typeCode, revision, connected, positionCurrent,
                lastKnown, settings, syncedAt, stateAt, connectionAt, at);
    }

    /** A new battery level as of {@code at}; the rest of {@link #lastKnown()} stays (all absent if never reported). */
    MirroredLock withBatteryLevel(int level, Instant at) {
        DeviceState next = lastKnown == null
                ? new DeviceState(DeviceState.ABSENT, DeviceState.ABSENT, level, null, null, null)
                : new DeviceState(lastKnown.stateCode(), lastKnown.doorStateCode(), level, lastKnown.charging(),
                        lastKnown.stateChangeResult(), lastKnown.lastStateChangedDate());
        return new MirroredLock(account, serialNumber, id, name, typeCode, revision, connected, positionCurrent,
                next, settings, syncedAt, stateAt, connectionAt, at);
    }
}
