package io.tedeesync.store;

import java.util.OptionalLong;

/**
 * Which accounts this instance may write, as the cluster coordinator sees it: given to
 * {@link LockStore#fence(Fence)}, it is asked before every write transaction, and an account's batches
 * are written only if its {@code account_lease} row still names {@link #owner()} with {@link #token}
 * (read {@code FOR SHARE}, so a takeover waits for the write or the write sees the takeover). Others are
 * dropped, so that an instance that lost a lease (paused, cut off) cannot overwrite its successor's state.
 *
 * <p>Implementations must be thread-safe and fast (the store asks while its writers wait), and must
 * not call the store.
 */
public interface Fence {
    /** The lease owner id of this instance (the same id as {@link ClusterStore#acquire}'s {@code instance}). */
    String owner();

    /** The fencing token of the account's lease as acquired by this instance, or empty when it does not hold it. */
    OptionalLong token(String account);
}
