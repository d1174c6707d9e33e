package io.tedeesync.sync;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DeviceType;
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

    MirroredLock withSyncedAt(Instant when) {
        return new MirroredLock(account, serialNumber, id, name, typeCode, revision, connected, positionCurrent,
                lastKnown, settings, when, stateAt, connectionAt, batteryAt);
    }
}
