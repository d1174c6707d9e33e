package io.tedeesync.store;

import io.tedeesync.sync.CallHistory;
import java.util.Objects;

/**
 * What {@link ClusterStore#saveHistories} stores for one account, if its lease is still held with
 * {@code fencing}. Immutable.
 *
 * @param fencing    the token the lease was acquired with
 * @param history    the account's call history, in the saving instance's clock
 * @param statusJson the owner's view of the account as JSON text, opaque to the store, or null
 */
public record FencedHistory(long fencing, CallHistory history, String statusJson) {
    public FencedHistory {
        Objects.requireNonNull(history, "history");
    }
}
