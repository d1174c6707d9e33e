package io.tedeesync.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.Lock;
import java.time.Instant;

/**
 * A lock as the command line prints it with {@code --json}. A disconnected lock has {@code state}
 * null: its position is unknown, and printing the last one would be printing a guess.
 */
record LockView(
        String serialNumber,
        long id,
        String name,
        String type,
        int typeCode,
        String state,
        Integer stateCode,
        String doorState,
        Integer doorStateCode,
        Integer batteryLevel,
        @JsonProperty("isCharging") Boolean isCharging,
        @JsonProperty("isConnected") boolean isConnected,
        long revision,
        Instant lastStateChangedDate) {

    static LockView of(Lock lock) {
        DeviceState state = lock.deviceState();
        return new LockView(
                lock.serialNumber(),
                lock.id(),
                lock.name(),
                lock.type().name(),
                lock.typeCode(),
                state == null ? null : state.state().name(),
                state == null ? null : state.stateCode(),
                state == null || state.doorStateCode() == DeviceState.ABSENT ? null : state.doorState().name(),
                state == null || state.doorStateCode() == DeviceState.ABSENT ? null : state.doorStateCode(),
                state == null ? null : state.batteryLevel(),
                state == null ? null : state.charging(),
                lock.connected(),
                lock.revision(),
                state == null ? null : state.lastStateChangedDate());
    }
}
