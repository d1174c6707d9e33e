package io.tedeesync.sync;

import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import java.time.Instant;

/**
 * A real change of one lock, emitted once, in order per lock. {@link #occurredAt()} is when it
 * happened by the API ({@code lastStateChangedDate}, a webhook's {@code eventTime}) where the API says,
 * otherwise when it was observed.
 */
public sealed interface LockEvent extends SyncEvent {

    String serialNumber();

    /** The lock id at the time of the event. */
    long lockId();

    Instant occurredAt();

    /** A lock appeared on the account (first get-all, or added later). */
    record Added(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source, MirroredLock lock) implements LockEvent {
    }

    /** The lock is no longer on the account. */
    record Removed(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source) implements LockEvent {
    }

    /** The same lock (same serial) under a new id: it was removed and added again. */
    record IdChanged(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source, long previousId) implements LockEvent {
    }

    /**
     * The position changed. {@code from} is null when nothing was known before; codes are kept raw so
     * an undocumented code (shown as {@link LockState#UNKNOWN}) is not lost.
     */
    record StateChanged(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source, LockState from, Integer fromCode, LockState to, int toCode) implements LockEvent {
    }

    record DoorStateChanged(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source, DoorState from, DoorState to, int toCode) implements LockEvent {
    }

    /** Connected to or disconnected from the cloud; while disconnected the position is unknown. */
    record ConnectionChanged(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source, boolean connected) implements LockEvent {
    }

    record BatteryChanged(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source, Integer from, int to) implements LockEvent {
    }

    record ChargingChanged(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source, boolean charging) implements LockEvent {
    }

    /** The configuration changed (name, settings): the revision rose. */
    record SettingsChanged(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source, String previousName, String name, long previousRevision, long revision) implements LockEvent {
    }

    /** The bell button of a keypad connected to the lock was pressed (webhook only). */
    record BellPressed(String account, String serialNumber, long lockId, Instant occurredAt, Instant observedAt,
            EventSource source) implements LockEvent {
    }
}
