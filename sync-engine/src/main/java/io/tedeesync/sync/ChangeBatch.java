package io.tedeesync.sync;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The result of merging one observation, as listeners receive it: the events, and the state of every
 * lock they touched after the merge, so that a store can write both in one transaction.
 *
 * @param account    the account
 * @param observedAt engine time of the merge
 * @param events     real changes, in order
 * @param changed    locks after the merge, one per serial touched by an event (not removed ones)
 * @param removed    serials of locks removed by this merge
 */
public record ChangeBatch(String account, Instant observedAt, List<SyncEvent> events, List<MirroredLock> changed, Set<String> removed) {
    public ChangeBatch {
        events = List.copyOf(events);
        changed = List.copyOf(changed);
        removed = Set.copyOf(removed);
    }
}
