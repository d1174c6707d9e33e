package io.tedeesync.client.internal;

import io.tedeesync.client.DeviceOperation;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockSettings;
import io.tedeesync.client.LockSync;
import io.tedeesync.client.OperationAccepted;
import io.tedeesync.client.OperationStatus;
import java.time.Instant;

/** Wire DTOs to domain records: where both payload generations become one model. Stateless. */
final class WireMapper {
    private WireMapper() {
    }

    static Lock lock(Wire.LockDto dto) {
        if (dto == null) {
            throw new WireFormatException("a lock entry is null");
        }
        long id = require(dto.id(), "id");
        String serial = dto.serialNumber();
        if (serial == null || serial.isBlank()) {
            throw new WireFormatException("lock " + id + " has no serialNumber");
        }
        boolean connected = Boolean.TRUE.equals(dto.isConnected());
        return new Lock(
                id,
                serial,
                dto.name(),
                dto.type() == null ? -1 : dto.type(),
                dto.revision() == null ? 0 : dto.revision(),
                connected,
                connected ? state(dto.deviceState(), dto.lockProperties()) : null,
                settings(dto.deviceSettings()),
                dto.userIdentity(),
                dto.timeZone());
    }

    static LockSync lockSync(Wire.LockSyncDto dto) {
        if (dto == null) {
            throw new WireFormatException("a sync entry is null");
        }
        boolean connected = Boolean.TRUE.equals(dto.isConnected());
        return new LockSync(
                require(dto.id(), "id"),
                connected,
                connected ? state(dto.deviceState(), dto.lockProperties()) : null,
                dto.revision());
    }

    static OperationAccepted operationAccepted(Wire.OperationAcceptedDto dto) {
        if (dto == null || dto.operationId() == null || dto.operationId().isBlank()) {
            throw new WireFormatException("the accepted operation has no operationId");
        }
        return new OperationAccepted(dto.operationId(), instant(dto.lastStateChangedDate(), "lastStateChangedDate"));
    }

    static DeviceOperation deviceOperation(Wire.DeviceOperationDto dto) {
        if (dto == null || dto.operationId() == null) {
            throw new WireFormatException("the device operation has no operationId");
        }
        return new DeviceOperation(
                dto.deviceId() == null ? -1 : dto.deviceId(),
                dto.operationId(),
                OperationStatus.fromText(dto.status()),
                dto.result() == null ? -1 : dto.result(),
                dto.type() == null ? -1 : dto.type());
    }

    /**
     * A disconnected lock's position is unknown: the state object is ignored unless the lock is
     * connected, even if a payload carries one. Newer name wins when a payload carries both.
     */
    private static DeviceState state(Wire.StateDto deviceState, Wire.StateDto lockProperties) {
        Wire.StateDto dto = deviceState != null ? deviceState : lockProperties;
        if (dto == null) {
            return null;
        }
        String field = (deviceState != null ? "deviceState" : "lockProperties") + ".lastStateChangedDate";
        return new DeviceState(
                dto.state() == null ? DeviceState.ABSENT : dto.state(),
                dto.doorState() == null ? DeviceState.ABSENT : dto.doorState(),
                dto.batteryLevel(),
                dto.isCharging(),
                dto.stateChangeResult(),
                instant(dto.lastStateChangedDate(), field));
    }

    private static LockSettings settings(Wire.SettingsDto dto) {
        if (dto == null) {
            return null;
        }
        return new LockSettings(
                dto.autoLockEnabled(), dto.autoLockDelay(),
                dto.autoLockImplicitEnabled(), dto.autoLockImplicitDelay(),
                dto.pullSpringEnabled(), dto.pullSpringDuration(), dto.autoPullSpringEnabled(),
                dto.postponedLockEnabled(), dto.postponedLockDelay(),
                dto.buttonLockEnabled(), dto.buttonUnlockEnabled(),
                dto.openDoorAlertEnabled(), dto.openDoorAlertThreshold(),
                dto.autoLockAfterDoorClosedEnabled());
    }

    private static Instant instant(String text, String field) {
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(field + " is not a possible timestamp ('" + Reasons.abbreviate(text.trim()) + "')", e);
        }
    }

    private static long require(Long value, String field) {
        if (value == null) {
            throw new WireFormatException("the entry has no " + field);
        }
        return value;
    }
}
