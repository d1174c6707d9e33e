package io.tedeesync.http;

import java.time.Instant;

/** Lock rows built by hand, for the unit tests of the fleet's filters, order and summary. */
final class FleetRows {
    private FleetRows() {
    }

    /** A connected, fresh lock; {@code state} null means its position is not known now (then it is disconnected). */
    static LockRow row(String account, String serial, String name, String state, Integer battery, String door, Instant lastChange) {
        boolean connected = state != null;
        LockJson view = new LockJson(serial, serial.hashCode(), name, "LOCK", state, null, door, null, battery, false, connected, 1,
                lastChange, Instant.parse("2026-12-01T10:00:00Z"), false, state, null, null);
        return new LockRow(account, view);
    }

    static LockRow row(String serial, String name, String state, Integer battery) {
        return row("home", serial, name, state, battery, null, null);
    }

    static LockRow stale(LockRow row) {
        LockJson v = row.view();
        return new LockRow(row.account(), new LockJson(v.serialNumber(), v.id(), v.name(), v.type(), v.state(), v.stateCode(), v.doorState(),
                v.doorStateCode(), v.batteryLevel(), v.isCharging(), v.isConnected(), v.revision(), v.lastStateChangedDate(), v.syncedAt(),
                true, v.lastKnownState(), v.account(), v.nextSyncAllowedAt()));
    }
}
