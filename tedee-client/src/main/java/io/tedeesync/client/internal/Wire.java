package io.tedeesync.client.internal;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What Tedee sends, field for field, as loosely typed as the wire is: everything nullable, codes as
 * integers (so an undocumented code never fails parsing), dates as text (Tedee mixes offsets, "Z" and
 * no zone at all). {@link WireMapper} turns these into the public domain records. The envelope around
 * them is read by {@link EnvelopeReader}.
 */
final class Wire {
    private Wire() {
    }

    /** The state object: {@code deviceState} from v1.34 (Lock) / v1.35 (sync), {@code lockProperties} before. */
    record StateDto(
            Integer state,
            Integer doorState,
            Integer batteryLevel,
            @JsonProperty("isCharging") Boolean isCharging,
            Integer stateChangeResult,
            String lastStateChangedDate) {
    }

    record SettingsDto(
            Boolean autoLockEnabled,
            Integer autoLockDelay,
            Boolean autoLockImplicitEnabled,
            Integer autoLockImplicitDelay,
            Boolean pullSpringEnabled,
            Integer pullSpringDuration,
            Boolean autoPullSpringEnabled,
            Boolean postponedLockEnabled,
            Integer postponedLockDelay,
            Boolean buttonLockEnabled,
            Boolean buttonUnlockEnabled,
            Boolean openDoorAlertEnabled,
            Integer openDoorAlertThreshold,
            Boolean autoLockAfterDoorClosedEnabled) {
    }

    record LockDto(
            Long id,
            String serialNumber,
            String name,
            Integer type,
            Long revision,
            @JsonProperty("isConnected") Boolean isConnected,
            StateDto deviceState,
            StateDto lockProperties,
            SettingsDto deviceSettings,
            String userIdentity,
            String timeZone) {
    }

    record LockSyncDto(
            Long id,
            @JsonProperty("isConnected") Boolean isConnected,
            StateDto deviceState,
            StateDto lockProperties,
            Long revision) {
    }

    record OperationAcceptedDto(String operationId, String lastStateChangedDate) {
    }

    record DeviceOperationDto(Long deviceId, String operationId, Integer result, String status, Integer type) {
    }
}
