package io.tedeesync.sync.internal;

import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.sync.OperationOutcome;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** An operation on its way: queued, then sent and followed until completed or timed out. Guarded by its account. */
final class PendingOperation {
    final String serialNumber;
    final long lockId;
    final OperationType type;
    final UnlockMode mode;
    final Instant deadline;
    final CompletableFuture<OperationOutcome> outcome = new CompletableFuture<>();
    String operationId;
    Instant nextPollAt;

    PendingOperation(String serialNumber, long lockId, OperationType type, UnlockMode mode, Instant deadline) {
        this.serialNumber = serialNumber;
        this.lockId = lockId;
        this.type = type;
        this.mode = mode;
        this.deadline = deadline;
    }

    void finish(OperationOutcome.Status status, String message) {
        outcome.complete(new OperationOutcome(serialNumber, type, status, operationId, message));
    }
}
