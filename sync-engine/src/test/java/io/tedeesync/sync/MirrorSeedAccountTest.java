package io.tedeesync.sync;

import static io.tedeesync.sync.Locks.lock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every copy in a mirror names the mirror's account. Before the copies were changed through withers,
 * each change rebuilt a copy under the mirror's account; now the seed is where a saved copy becomes
 * this account's, so a change that only confirms a lock cannot leave another account's name on it.
 */
class MirrorSeedAccountTest {
    private static final Instant LISTED = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void lockSavedUnderAnotherAccountNameIsSeededAsThisAccounts() {
        Mirror renamed = new Mirror("office");
        renamed.apply(new Observation.LockList(List.of(lock(1, "S1").build())), LISTED);
        Mirror mirror = new Mirror("home");

        mirror.seed(renamed.locks());
        mirror.apply(new Observation.LockList(List.of(lock(1, "S1").build())), LISTED.plusSeconds(60));

        assertThat(mirror.locks()).extracting(MirroredLock::account).containsExactly("home");
    }
}
