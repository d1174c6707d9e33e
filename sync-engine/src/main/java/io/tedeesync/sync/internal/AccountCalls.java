package io.tedeesync.sync.internal;

import io.tedeesync.client.Entries;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.client.UnlockMode;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The API call each planned action is: started without blocking; the answer comes as a future. Stateless. */
final class AccountCalls {
    private final TedeeClient client;

    AccountCalls(TedeeClient client) {
        this.client = client;
    }

    /** Starts the call; the future fails with the client's {@code TedeeException} (possibly wrapped). */
    CompletableFuture<?> start(Action action) {
        if (action instanceof Action.GetAll) {
            return client.getLockEntriesAsync();
        }
        if (action instanceof Action.SyncAll) {
            return client.syncLockEntriesAsync();
        }
        if (action instanceof Action.SyncSome some) {
            return some.ids().size() == 1
                    ? client.syncLockAsync(some.ids().get(0)).thenApply(lock -> new Entries<>(List.of(lock), List.of()))
                    : client.syncLockEntriesAsync(some.ids());
        }
        if (action instanceof Action.Details details) {
            return client.getLockAsync(details.id());
        }
        if (action instanceof Action.Send send) {
            PendingOperation operation = send.operation();
            UnlockMode mode = operation.type == OperationType.UNLOCK && operation.mode == null ? UnlockMode.NORMAL : operation.mode;
            return client.operateAsync(operation.lockId, operation.type, mode);
        }
        if (action instanceof Action.Poll poll) {
            return client.getOperationAsync(poll.operation().operationId);
        }
        throw new IllegalArgumentException("not a call: " + action);
    }

    /** Whether the action is a sync of any form: the account's 10 s floor counts it. */
    static boolean isSync(Action action) {
        return action instanceof Action.SyncAll || action instanceof Action.SyncSome;
    }
}
