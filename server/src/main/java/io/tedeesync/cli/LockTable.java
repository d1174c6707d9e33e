package io.tedeesync.cli;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockState;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Locks as a plain-text table for people; columns sized to their content. */
final class LockTable {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String[] HEADER = {"SERIAL", "NAME", "TYPE", "STATE", "DOOR", "BATTERY", "CONNECTED", "REVISION", "CHANGED"};

    private LockTable() {
    }

    static void print(List<Lock> locks, PrintWriter out) {
        if (locks.isEmpty()) {
            out.println("No locks on this account.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Lock lock : locks) {
            rows.add(row(lock));
        }
        TextTable.print(rows, out);
        out.println(locks.size() + (locks.size() == 1 ? " lock" : " locks"));
    }

    private static String[] row(Lock lock) {
        DeviceState state = lock.deviceState();
        return new String[] {
            lock.serialNumber(),
            lock.name(),
            lock.type().name(),
            state == null ? "disconnected" : stateText(state),
            state == null || !state.hasDoorSensor() ? "-" : doorText(state),
            state == null || state.batteryLevel() == null ? "-"
                    : state.batteryLevel() + "%" + (Boolean.TRUE.equals(state.charging()) ? " charging" : ""),
            lock.connected() ? "yes" : "no",
            Long.toString(lock.revision()),
            state == null || state.lastStateChangedDate() == null ? "-" : WHEN.format(state.lastStateChangedDate())
        };
    }

    private static String stateText(DeviceState state) {
        LockState lockState = state.state();
        boolean undocumented = lockState == LockState.UNKNOWN && state.stateCode() != LockState.UNKNOWN.code();
        return lockState.name() + (undocumented ? " (" + state.stateCode() + ")" : "");
    }

    private static String doorText(DeviceState state) {
        DoorState door = state.doorState();
        return door == DoorState.UNKNOWN ? "UNKNOWN (" + state.doorStateCode() + ")" : door.name();
    }
}
