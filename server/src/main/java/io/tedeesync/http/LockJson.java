package io.tedeesync.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tedeesync.client.DeviceState;
import io.tedeesync.sync.MirroredLock;
import java.time.Instant;

/**
 * A lock as the HTTP API shows it. {@code state} and its siblings are the current state: null while the
 * position is unknown (disconnected, or reconnected and not yet synced); {@code lastKnownState} keeps
 * the history. {@code account} appears only when the service mirrors several accounts.
 */
record LockJson(
        String serialNumber,
        long id,
        String name,
        String type,
        String state,
        Integer stateCode,
        String doorState,
        Integer doorStateCode,
        Integer batteryLevel,
        @JsonProperty("isCharging") Boolean isCharging,
        @JsonProperty("isConnected") boolean isConnected,
        long revision,
        Instant lastStateChangedDate,
        Instant syncedAt,
        boolean stale,
        String lastKnownState,
        String account) {

    static LockJson of(MirroredLock lock, boolean stale, boolean showAccount) {
        DeviceState state = lock.state();
        DeviceState known = lock.lastKnown();
        return new LockJson(
                lock.serialNumber(),
                lock.id(),
                lock.name(),
                lock.type().name(),
                state == null ? null : state.state().name(),
                state == null ? null : state.stateCode(),
                state == null || state.doorStateCode() == DeviceState.ABSENT ? null : state.doorState().name(),
                state == null || state.doorStateCode() == DeviceState.ABSENT ? null : state.doorStateCode(),
                known == null ? null : known.batteryLevel(),
                known == null ? null : known.charging(),
                lock.connected(),
                lock.revision(),
                known == null ? null : known.lastStateChangedDate(),
                lock.syncedAt(),
                stale,
                known == null || known.stateCode() == DeviceState.ABSENT ? null : known.state().name(),
                showAccount ? lock.account() : null);
    }
}
