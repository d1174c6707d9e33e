package io.tedeesync.sync;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DeviceType;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockState;
import io.tedeesync.client.LockSync;
import java.time.Instant;
import java.util.Objects;

/**
 * Builds the client's {@link Lock} and {@link LockSync} values for merge tests: a connected, locked lock
 * with a closed door, 80 % battery, not charging, revision 1, last changed at {@link #T0}, unless a test
 * says otherwise. Each test then states only what matters to its rule. Builders are mutable and not
 * thread-safe; the values they build are immutable.
 */
final class Locks {
    /** When the fixtures' positions last changed (API time). */
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    private Locks() {
    }

    /** A lock with the defaults above; the name is derived from the serial so a rename is visible. */
    static Builder lock(long id, String serialNumber) {
        return new Builder(id, serialNumber);
    }

    /** Mutable description of one lock; {@link #build()} and {@link #sync()} read the same fields. */
    static final class Builder {
        private long id;
        private final String serialNumber;
        private String name;
        private long revision = 1;
        private boolean connected = true;
        private int stateCode = LockState.LOCKED.code();
        private int doorStateCode = DoorState.CLOSED.code();
        private Integer batteryLevel = 80;
        private Boolean charging = false;
        private Instant changedAt = T0;

        private Builder(long id, String serialNumber) {
            this.id = id;
            this.serialNumber = Objects.requireNonNull(serialNumber, "serialNumber");
            this.name = "Door " + serialNumber;
        }

        Builder id(long id) {
            this.id = id;
            return this;
        }

        Builder name(String name) {
            this.name = name;
            return this;
        }

        Builder revision(long revision) {
            this.revision = revision;
            return this;
        }

        /** Not connected: the API then sends no device state at all. */
        Builder disconnected() {
            this.connected = false;
            return this;
        }

        Builder state(LockState state) {
            return stateCode(state.code());
        }

        /** A raw code, for codes the docs do not list. */
        Builder stateCode(int code) {
            this.stateCode = code;
            return this;
        }

        Builder door(DoorState door) {
            this.doorStateCode = door.code();
            return this;
        }

        Builder battery(int level) {
            this.batteryLevel = level;
            return this;
        }

        Builder charging(boolean charging) {
            this.charging = charging;
            return this;
        }

        /** The position's {@code lastStateChangedDate}. */
        Builder changedAt(Instant when) {
            this.changedAt = when;
            return this;
        }

        DeviceState deviceState() {
            return connected ? new DeviceState(stateCode, doorStateCode, batteryLevel, charging, 0, changedAt) : null;
        }

        /** As get-all or get-single would return it. */
        Lock build() {
            return new Lock(id, serialNumber, name, DeviceType.LOCK_PRO.code(), revision, connected, deviceState(),
                    null, "owner@example.com", "Europe/Warsaw");
        }

        /** As a sync call would return it (no serial, no name). */
        LockSync sync() {
            return new LockSync(id, connected, deviceState(), revision);
        }
    }
}
