package io.tedeesync.sync;

import io.tedeesync.client.OperationType;

/**
 * How an operation (lock, unlock, pull) through the engine ended.
 *
 * @param serialNumber the lock
 * @param type         what was asked
 * @param status       how it ended
 * @param operationId  Tedee's operation id, or null if it never got one
 * @param message      for people: why it was rejected or failed; null on success
 * @param lock         the lock after the operation: as synced, or as its webhook reported it, after the operation
 *                     completed (as last known when rejected, timed out or never confirmed); null for an unknown lock
 */
public record OperationOutcome(String serialNumber, OperationType type, Status status, String operationId, String message,
        MirroredLock lock) {

    public enum Status {
        /** Completed with result 0. */
        SUCCEEDED,
        /** Completed with a non-zero result, or the API refused the command. */
        FAILED,
        /** Not sent: unknown lock, disconnected, a state that does not allow it, or no budget. */
        REJECTED,
        /** Still pending when the engine stopped following it. */
        TIMED_OUT
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
