package io.tedeesync.sync.internal;

import io.tedeesync.client.DeviceOperation;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.LockState;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.OperationOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One account's operations on their way: queued to be sent, sent and followed until Tedee says they
 * completed, then waiting for their lock's confirmation. Deadlines: an operation that could only be
 * sent after its deadline is refused, one not completed by it times out. No I/O, no clock reads.
 *
 * <p>Not thread-safe: guarded by its worker (the confirming set is read by completions outside it).
 */
final class Operations {
    private final Deque<PendingOperation> toSend = new ArrayDeque<>();
    /** The one being sent now (taken from the queue, not yet accepted), if any. */
    private PendingOperation sending;
    private final List<PendingOperation> following = new ArrayList<>();
    /** Completed operations waiting for their lock's confirmation; their callbacks run outside the guard. */
    private final Set<PendingOperation> confirming = ConcurrentHashMap.newKeySet();
    private final Function<String, MirroredLock> lockOf;
    private final Duration timeout;

    Operations(Duration timeout, Function<String, MirroredLock> lockOf) {
        this.timeout = timeout;
        this.lockOf = lockOf;
    }

    void queue(PendingOperation operation) {
        toSend.addLast(operation);
    }

    boolean hasQueued() {
        return !toSend.isEmpty();
    }

    PendingOperation nextQueued() {
        return toSend.peekFirst();
    }

    /** The planner chose to send the head of the queue. */
    void sending(PendingOperation operation) {
        toSend.remove(operation);
        sending = operation;
    }

    /**
     * No call may be made now, and the next try is at {@code retryAt}: the one planned to be sent, if any,
     * is first in the queue again, and those that could only be sent at or after their deadline are refused.
     */
    void notPermitted(PendingOperation planned, Instant retryAt, String why) {
        if (planned != null) {
            notSent(planned);
            toSend.addFirst(planned);
        }
        refuseThoseThatCannotWait(retryAt, why);
    }

    /** Its send failed (it has been told). */
    void notSent(PendingOperation operation) {
        if (sending == operation) {
            sending = null;
        }
    }

    List<PendingOperation> following() {
        return following;
    }

    /** Tedee accepted it: follow it from {@code firstPollAt}. */
    void sent(PendingOperation operation, String operationId, Instant firstPollAt) {
        notSent(operation);
        operation.operationId = operationId;
        operation.nextPollAt = firstPollAt;
        following.add(operation);
    }

    boolean isFollowed(PendingOperation operation) {
        return following.contains(operation);
    }

    /**
     * What Tedee said of a followed operation: returns true once it completed (it then stops being
     * followed and waits for confirmation), false while it runs (polled again at {@code nextPollAt}).
     */
    boolean progressed(PendingOperation operation, DeviceOperation progress, Instant nextPollAt) {
        if (!progress.isCompleted()) {
            operation.nextPollAt = nextPollAt;
            return false;
        }
        following.remove(operation);
        if (progress.isSuccessful()) {
            operation.completed(OperationOutcome.Status.SUCCEEDED, null);
        } else {
            operation.completed(OperationOutcome.Status.FAILED, "the lock reported failure (result " + progress.result() + ")");
        }
        confirming.add(operation);
        return true;
    }

    /** Its confirmation came (a sync or the lock's webhook): tell the outcome with the lock as confirmed. */
    void confirmed(PendingOperation operation, MirroredLock lock, Throwable failure) {
        confirming.remove(operation);
        if (failure == null) {
            operation.finish(operation.completed, operation.completedMessage, lock);
        } else {
            operation.abandon(operation.completed, failure.getMessage(), null);
        }
    }

    /** Followed operations past their deadline time out; returns their locks, to be synced. */
    List<String> expire(Instant now) {
        refuseThoseThatCannotWait(now, "not sent before its deadline");
        List<String> expired = new ArrayList<>();
        for (Iterator<PendingOperation> it = following.iterator(); it.hasNext(); ) {
            PendingOperation operation = it.next();
            if (!now.isBefore(operation.deadline)) {
                it.remove();
                operation.finish(OperationOutcome.Status.TIMED_OUT, "no completion within " + timeout.toSeconds() + " s",
                        lockOf.apply(operation.serialNumber));
                expired.add(operation.serialNumber);
            }
        }
        return expired;
    }

    /** Queued operations that would be sent at or after their deadline are refused now: a door must not open an hour late. */
    void refuseThoseThatCannotWait(Instant notBefore, String why) {
        for (Iterator<PendingOperation> it = toSend.iterator(); it.hasNext(); ) {
            PendingOperation operation = it.next();
            if (!notBefore.isBefore(operation.deadline)) {
                it.remove();
                operation.finish(OperationOutcome.Status.REJECTED, why, lockOf.apply(operation.serialNumber));
            }
        }
    }

    /** Every queued operation is refused (the budget is used up). */
    void refuseQueued(String why) {
        List<PendingOperation> refused = List.copyOf(toSend);
        toSend.clear(); // before telling anyone: a callback may queue a new operation
        for (PendingOperation operation : refused) {
            operation.finish(OperationOutcome.Status.REJECTED, why, lockOf.apply(operation.serialNumber));
        }
    }

    /** The account failed or the engine stopped: everything is told, in whatever phase it is. */
    void failAll(String message) {
        for (PendingOperation operation : toSend) {
            operation.finish(OperationOutcome.Status.REJECTED, message, lockOf.apply(operation.serialNumber));
        }
        for (PendingOperation operation : following) {
            operation.finish(OperationOutcome.Status.FAILED, message, lockOf.apply(operation.serialNumber));
        }
        for (PendingOperation operation : List.copyOf(confirming)) {
            operation.abandon(OperationOutcome.Status.FAILED, message, lockOf.apply(operation.serialNumber));
        }
        if (sending != null) {
            sending.finish(OperationOutcome.Status.TIMED_OUT, message + " before Tedee answered the command: whether the lock moved is not known",
                    lockOf.apply(sending.serialNumber));
            sending = null;
        }
        toSend.clear();
        following.clear();
        confirming.clear();
    }

    /** Checks an operation against what the mirror knows; returns why it cannot be sent, if it cannot. */
    static Optional<String> refusal(MirroredLock lock, OperationType type, UnlockMode mode) {
        if (!lock.connected()) {
            return Optional.of("lock " + lock.serialNumber() + " is disconnected");
        }
        DeviceState state = lock.state();
        if (state == null) {
            return Optional.of("the position of lock " + lock.serialNumber() + " is not known yet");
        }
        LockState position = state.state();
        boolean allowed;
        switch (type) {
            case LOCK:
                allowed = position == LockState.UNLOCKED || position == LockState.SEMI_LOCKED;
                break;
            case UNLOCK:
                allowed = position == LockState.LOCKED || position == LockState.SEMI_LOCKED
                        || (mode == UnlockMode.FORCE && position == LockState.UNKNOWN)
                        || (mode == UnlockMode.UNLOCK_OR_PULL && position == LockState.UNLOCKED);
                break;
            case PULL:
                allowed = position == LockState.UNLOCKED;
                break;
            default:
                allowed = false;
        }
        return allowed ? Optional.empty()
                : Optional.of("cannot " + type.name().toLowerCase() + " lock " + lock.serialNumber() + " while it is " + position);
    }
}
