package io.tedeesync.store;

import java.util.Objects;

/**
 * One account's lease, as {@link ClusterStore#leases()} reads it. Immutable.
 *
 * @param account its account
 * @param owner   the lease owner id of the instance that holds or last held it, or null when it is free
 * @param fencing the token of the latest acquisition (0: never acquired)
 * @param expired whether it may be acquired by anyone: free, or its expiry is past in the database's clock
 */
public record LeaseRow(String account, String owner, long fencing, boolean expired) {
    public LeaseRow {
        Objects.requireNonNull(account, "account");
    }
}
