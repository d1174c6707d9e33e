package io.tedeesync.client;

import java.util.Objects;

/**
 * Progress and outcome of a lock/unlock/pull command ({@code GET /my/device/operation/{id}}).
 *
 * @param deviceId    the lock id the operation ran on
 * @param operationId the id returned when the operation was accepted
 * @param status      pending or completed
 * @param result      0 for success, anything else is a failure code; meaningful once completed
 * @param typeCode    raw operation type code; see {@link #type()}
 */
public record DeviceOperation(long deviceId, String operationId, OperationStatus status, int result, int typeCode) {

    public DeviceOperation {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(status, "status");
    }

    public OperationType type() {
        return OperationType.fromCode(typeCode);
    }

    public boolean isCompleted() {
        return status == OperationStatus.COMPLETED;
    }

    /** Completed with result 0. */
    public boolean isSuccessful() {
        return isCompleted() && result == 0;
    }
}
