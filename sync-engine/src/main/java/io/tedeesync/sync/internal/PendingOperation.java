package io.tedeesync.sync.internal;

import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.OperationOutcome;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * An operation on its way: queued, sent, followed until Tedee says it completed (or it times out),
 * then confirmed: its outcome is told with the lock as synced (or as its webhook reported it) after
 * completion, never with the state from before. Guarded by its account.
 */
final class PendingOperation {
    final String serialNumber;
    final long lockId;
    final OperationType type;
    final UnlockMode mode;
    final Instant deadline;
    final CompletableFuture<OperationOutcome> outcome = new CompletableFuture<>();
    String operationId;
    Instant nextPollAt;
    /** How it completed, once Tedee said so; the outcome waits for the lock's confirmation. */
    OperationOutcome.Status completed;
    String completedMessage;

    PendingOperation(String serialNumber, long lockId, OperationType type, UnlockMode mode, Instant deadline) {
        this.serialNumber = serialNumber;
        this.lockId = lockId;
        this.type = type;
        this.mode = mode;
        this.deadline = deadline;
    }

    /** Tells the outcome (only the first call counts). */
    void finish(OperationOutcome.Status status, String message, MirroredLock lock) {
        outcome.complete(new OperationOutcome(serialNumber, type, status, operationId, message, lock));
    }

    /** Tedee said it completed: the outcome follows once the lock is confirmed. */
    void completed(OperationOutcome.Status status, String message) {
        completed = status;
        completedMessage = message;
    }

    /** Ends it whatever phase it is in: a completed one keeps its status, the others get {@code status}. */
    void abandon(OperationOutcome.Status status, String why, MirroredLock lock) {
        if (completed != null) {
            finish(completed, completedMessage == null ? "completed; not confirmed by a sync: " + why : completedMessage, lock);
        } else {
            finish(status, why, lock);
        }
    }
}
