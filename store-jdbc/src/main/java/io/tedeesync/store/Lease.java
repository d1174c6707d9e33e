package io.tedeesync.store;

import io.tedeesync.sync.CallHistory;
import java.util.Objects;

/**
 * A lease just acquired with {@link ClusterStore#acquire}. Immutable.
 *
 * @param account       its account
 * @param fencing       its token: pass it to {@link ClusterStore#heartbeat}, {@link ClusterStore#release},
 *                      {@link ClusterStore#saveHistories} and the {@link Fence}
 * @param history       what the account's calls left, in the acquiring instance's clock; after a takeover
 *                      its {@code lastSyncAt} is no earlier than the old lease's expiry
 * @param previousOwner who held it before, or null when it was free
 * @param tookExpired   whether it was taken from an owner whose lease had expired (not released)
 */
public record Lease(String account, long fencing, CallHistory history, String previousOwner, boolean tookExpired) {
    public Lease {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(history, "history");
        if (tookExpired && previousOwner == null) {
            throw new IllegalArgumentException("a lease taken from an expired owner names that owner");
        }
    }
}
