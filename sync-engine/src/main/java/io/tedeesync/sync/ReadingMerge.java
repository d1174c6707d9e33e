package io.tedeesync.sync;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import java.time.Instant;
import java.util.List;

/**
 * What one lock reports about itself (position, door, battery, charging, connection) merged into its
 * copy, with an event for each real change: the per-lock half of {@link Mirror}'s rules. Which lock an
 * observation is about, and whether it is older news than the copy ({@code Mirror.superseded}), the
 * mirror decides before it asks.
 *
 * <p>One per {@link Mirror#apply}; not thread-safe.
 */
final class ReadingMerge {
    private final String account;
    private final Instant now;
    private final List<SyncEvent> events;

    /** Emits into {@code events}, stamped with {@code account} and received at {@code now} (engine clock). */
    ReadingMerge(String account, Instant now, List<SyncEvent> events) {
        this.account = account;
        this.now = now;
        this.events = events;
    }

    /**
     * The position and door are taken only if they are not older than the known ones (by the API's event
     * time); battery and charging are taken as they come.
     */
    MirroredLock reading(MirroredLock previous, boolean connected, DeviceState reading, EventSource source) {
        MirroredLock current = previous;
        if (previous.connected() != connected) {
            current = connection(previous, connected, now, source);
        }
        if (!connected || reading == null) {
            return current;
        }
        DeviceState known = current.lastKnown();
        Instant readingTime = reading.lastStateChangedDate();
        boolean positionIsOlder = readingTime != null && isOlder(readingTime, current.stateAt());
        int stateCode = positionIsOlder ? known.stateCode() : reading.stateCode();
        int doorCode = positionIsOlder || reading.doorStateCode() == DeviceState.ABSENT
                ? (known == null ? DeviceState.ABSENT : known.doorStateCode()) : reading.doorStateCode();
        Instant occurred = readingTime != null ? readingTime : now;
        String serial = current.serialNumber();
        long id = current.id();
        if (!positionIsOlder && reading.stateCode() != DeviceState.ABSENT
                && (known == null || known.stateCode() != stateCode)) {
            events.add(new LockEvent.StateChanged(account, serial, id, occurred, now, source,
                    known == null ? null : known.state(), known == null ? null : known.stateCode(),
                    LockState.fromCode(stateCode), stateCode));
        }
        if (!positionIsOlder && known != null && known.doorStateCode() != doorCode) {
            events.add(new LockEvent.DoorStateChanged(account, serial, id, occurred, now, source,
                    known.doorState(), DoorState.fromCode(doorCode), doorCode));
        }
        Integer battery = reading.batteryLevel() != null ? reading.batteryLevel() : known == null ? null : known.batteryLevel();
        if (reading.batteryLevel() != null && known != null && !reading.batteryLevel().equals(known.batteryLevel())) {
            events.add(new LockEvent.BatteryChanged(account, serial, id, now, now, source, known.batteryLevel(),
                    reading.batteryLevel()));
        }
        Boolean charging = reading.charging() != null ? reading.charging() : known == null ? null : known.charging();
        if (reading.charging() != null && known != null && known.charging() != null && !reading.charging().equals(known.charging())) {
            events.add(new LockEvent.ChargingChanged(account, serial, id, now, now, source, reading.charging()));
        }
        if (stateCode == DeviceState.ABSENT && known != null) {
            stateCode = known.stateCode();
        }
        DeviceState merged = new DeviceState(stateCode, doorCode, battery, charging,
                positionIsOlder ? known.stateChangeResult() : reading.stateChangeResult(),
                positionIsOlder ? known.lastStateChangedDate() : reading.lastStateChangedDate());
        Instant stateAt = positionIsOlder ? current.stateAt() : latest(current.stateAt(), readingTime);
        // Here the lock is connected (set above if it was not), so the position it reported is current.
        MirroredLock read = current.withReading(merged, stateAt);
        // A battery level carries no time of its own: it is as of now.
        return reading.batteryLevel() != null ? read.withBatteryAt(now) : read;
    }

    /** The connection flag as of {@code when}; an event only if it changed. */
    MirroredLock connection(MirroredLock lock, boolean connected, Instant when, EventSource source) {
        MirroredLock next = lock.withConnection(connected, when);
        if (lock.connected() == connected) {
            return next;
        }
        events.add(new LockEvent.ConnectionChanged(account, lock.serialNumber(), lock.id(), when, now, source, connected));
        // Disconnecting makes the position history; reconnecting does not make it current again.
        return next.withPositionAsHistory();
    }

    /** The battery level as of {@code when}; an event if it changed or was not known. */
    MirroredLock battery(MirroredLock lock, int level, Instant when, EventSource source) {
        DeviceState known = lock.lastKnown();
        Integer before = known == null ? null : known.batteryLevel();
        if (before == null || before != level) {
            events.add(new LockEvent.BatteryChanged(account, lock.serialNumber(), lock.id(), when, now, source, before, level));
        }
        return lock.withBatteryLevel(level, when);
    }

    /** Whether {@code candidate} is before {@code known}; never when either is unknown. */
    static boolean isOlder(Instant candidate, Instant known) {
        return candidate != null && known != null && candidate.isBefore(known);
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }
}
