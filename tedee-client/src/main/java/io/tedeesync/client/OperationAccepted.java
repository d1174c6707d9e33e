package io.tedeesync.client;

import java.time.Instant;
import java.util.Objects;

/**
 * The cloud's 202 answer to lock, unlock or pull: the command was queued for the device. Follow it
 * with {@link TedeeClient#getOperation(String)} until it is completed, then sync the lock.
 *
 * @param operationId          opaque id to follow the operation with
 * @param lastStateChangedDate when the lock's state last changed before this operation, or null
 */
public record OperationAccepted(String operationId, Instant lastStateChangedDate) {
    public OperationAccepted {
        Objects.requireNonNull(operationId, "operationId");
    }
}
