package io.tedeesync.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tedeesync.client.DeviceState;
import io.tedeesync.sync.MirroredLock;
import java.time.Instant;

/**
 * A lock as the HTTP API shows it. {@code state} and its siblings are the current state: null while the
 * position is unknown (disconnected, or reconnected and not yet synced); {@code lastKnownState} keeps
 * the history. {@code account} appears only when the service mirrors several accounts.
 * {@code nextSyncAllowedAt} appears on the one-lock route only ({@code GET /api/locks/{serialNumber}}): when a
 * sync of the lock is allowed by the floor (now or in the past: allowed now); not when unknown (another
 * instance's lock).
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
        String account,
        Instant nextSyncAllowedAt) {

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
                showAccount ? lock.account() : null,
                null);
    }

    /** The same view with when its next sync is allowed (null: not known). */
    LockJson withNextSyncAllowedAt(Instant at) {
        return new LockJson(serialNumber, id, name, type, state, stateCode, doorState, doorStateCode, batteryLevel, isCharging,
                isConnected, revision, lastStateChangedDate, syncedAt, stale, lastKnownState, account, at);
    }
}
