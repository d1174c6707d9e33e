package io.tedeesync.client;

import java.time.Instant;

/**
 * What a connected lock reports about itself: position, door, battery, charging.
 *
 * <p>One record for both payload generations: Tedee called this object {@code lockProperties} up to
 * API v1.33 (Lock model) / v1.34 (sync models) and {@code deviceState} after. Codes are kept raw, so an
 * undocumented code survives a round trip; {@link #state()} and {@link #doorState()} interpret them.
 *
 * @param stateCode            raw lock state code; {@link #ABSENT} when the payload had none
 * @param doorStateCode        raw door state code; {@link #ABSENT} when the payload had none (older API versions)
 * @param batteryLevel         battery percentage, or null when not reported
 * @param charging             whether the lock is charging, or null when not reported
 * @param stateChangeResult    result of the last state change (0 success, &gt; 0 error), or null
 * @param lastStateChangedDate when the position last changed, or null when not reported
 */
public record DeviceState(
        int stateCode,
        int doorStateCode,
        Integer batteryLevel,
        Boolean charging,
        Integer stateChangeResult,
        Instant lastStateChangedDate) {

    /** The {@link #stateCode()} or {@link #doorStateCode()} of a payload that did not carry it at all. */
    public static final int ABSENT = -1;

    public LockState state() {
        return LockState.fromCode(stateCode);
    }

    public DoorState doorState() {
        return DoorState.fromCode(doorStateCode);
    }

    /** Whether a door sensor is paired (a door state was reported, and it is not "not paired"). */
    public boolean hasDoorSensor() {
        return doorStateCode != DoorState.NOT_PAIRED.code() && doorStateCode != ABSENT;
    }
}
