package io.tedeesync.sync;

import java.util.List;
import java.util.Set;

/**
 * What merging one observation implied: the events (in order), and the follow-up calls the mirror
 * needs. Immutable.
 *
 * @param events            real changes, in the order they happened per lock
 * @param listRefreshNeeded an id the mirror does not know appeared, or a known lock is missing: get the list again
 * @param detailsNeeded     lock ids whose configuration revision rose: fetch their details
 * @param syncNeeded        lock ids whose position is unknown now but should be known (e.g. reconnected by webhook)
 * @param ignored           the observation changed nothing and was not applicable (unknown device, stale or unknown webhook)
 */
public record MergeResult(List<SyncEvent> events, boolean listRefreshNeeded, Set<Long> detailsNeeded,
        Set<Long> syncNeeded, boolean ignored) {

    public MergeResult {
        events = List.copyOf(events);
        detailsNeeded = Set.copyOf(detailsNeeded);
        syncNeeded = Set.copyOf(syncNeeded);
    }
}
