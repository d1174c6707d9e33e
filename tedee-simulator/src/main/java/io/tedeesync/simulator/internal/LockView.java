package io.tedeesync.simulator.internal;

import java.time.Instant;
import java.util.Map;

/**
 * A lock as one account sees it, copied out of the world so that JSON is written without holding
 * the world's monitor. Immutable (the settings map is the device's unmodifiable one, replaced, never
 * changed, when the settings change).
 */
record LockView(
        long id,
        String serialNumber,
        String name,
        int type,
        String ownerIdentity,
        int accessLevel,
        int revision,
        int deviceRevision,
        int targetDeviceRevision,
        boolean connected,
        Long connectedToId,
        Instant created,
        Map<String, Object> settings,
        int state,
        int doorState,
        boolean charging,
        int batteryLevel,
        int stateChangeResult,
        Instant lastStateChangedDate) {}
