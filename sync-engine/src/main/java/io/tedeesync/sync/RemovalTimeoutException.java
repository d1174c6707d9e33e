package io.tedeesync.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * How {@link SyncEngine#removeAccount} and {@link SyncEngine#handOverAccount} fail when the durable listener
 * has not taken the account's last change batches within the delivery wait: the account is removed all the
 * same (no call of it starts after, nothing is published for it again), but its last changes are still
 * offered to the store, so a purge now could be overtaken by their write. It carries the history the
 * account's calls left at its removal, so that a hand-over can still pass it on.
 */
public final class RemovalTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    /** Not serialised: the exception travels within the process, to a future's waiter. */
    private final transient CallHistory history;
    private final String account;

    public RemovalTimeoutException(String account, CallHistory history, Duration wait) {
        super("account " + account + " is removed, but the store has not taken its last changes within " + wait.toSeconds()
                + " s (they are still offered to it)");
        this.account = Objects.requireNonNull(account, "account");
        this.history = Objects.requireNonNull(history, "history");
    }

    /** The removed account. */
    public String account() {
        return account;
    }

    /** What the account's calls left at its removal, as {@link SyncEngine#handOverAccount} would have completed with. */
    public CallHistory history() {
        return history;
    }
}
