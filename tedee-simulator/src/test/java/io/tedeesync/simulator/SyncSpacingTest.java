package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.Harness.BOB_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyncSpacingTest {

    private Harness harness;
    private long frontDoor;
    private long backDoor;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        frontDoor = harness.sim.addLock("alice", "111111-11111", "Front door");
        backDoor = harness.sim.addLock("alice", "222222-22222", "Back door");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void twoSyncAllsFiveSecondsApartCountOneTooSoon() {
        syncAll(ALICE_KEY);
        harness.clock.advance(Duration.ofSeconds(5));
        syncAll(ALICE_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(1);
        assertThat(harness.sim.requests()).extracting(RecordedRequest::syncTooSoon).containsExactly(false, true);
    }

    @Test
    void twoSyncAllsTenSecondsApartAreFine() {
        syncAll(ALICE_KEY);
        harness.clock.advance(Duration.ofSeconds(10));
        syncAll(ALICE_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isZero();
    }

    @Test
    void singleSyncOfAnyLockRightAfterSyncAllIsTooSoonBecauseSyncAllCoveredIt() {
        syncAll(ALICE_KEY);
        harness.clock.advance(Duration.ofSeconds(1));

        syncSingle(backDoor);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(1);
    }

    @Test
    void syncAllRightAfterASingleSyncIsTooSoonBecauseItCoversThatLockAgain() {
        syncSingle(frontDoor);
        harness.clock.advance(Duration.ofSeconds(1));

        syncAll(ALICE_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(1);
    }

    @Test
    void singleSyncsOfDifferentLocksDoNotCollide() {
        syncSingle(frontDoor);
        syncSingle(backDoor);
        harness.clock.advance(Duration.ofSeconds(3));
        syncSingle(frontDoor);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(1);
    }

    @Test
    void filteredSyncsCollideOnlyWhereTheyOverlap() {
        long garage = harness.sim.addLock("alice", "333333-33333", "Garage");
        harness.get("/api/v37/my/lock/sync?id=" + frontDoor, ALICE_KEY);
        harness.get("/api/v37/my/lock/sync?id=" + backDoor + "&id=" + garage, ALICE_KEY);
        assertThat(harness.sim.syncCallsTooSoon()).isZero();

        harness.get("/api/v37/my/lock/sync?id=" + garage + "&id=999999", ALICE_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(1);
    }

    @Test
    void syncAllOfAnAccountWithoutLocksStillCountsItsSpacing() {
        syncAll(BOB_KEY);
        harness.clock.advance(Duration.ofSeconds(2));
        syncAll(BOB_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(1);
    }

    @Test
    void accountsAreSpacedSeparately() {
        harness.sim.shareLock("111111-11111", "bob");

        syncAll(ALICE_KEY);
        syncAll(BOB_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isZero();
    }

    @Test
    void aSyncCutShortByAFaultCoversNothing() {
        harness.sim.injectFault(Fault.serverError(503), 1);
        assertThat(syncAll(ALICE_KEY).status()).isEqualTo(503);
        harness.clock.advance(Duration.ofSeconds(1));

        syncAll(ALICE_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isZero();
    }

    @Test
    void tooSoonSyncsStillMoveTheMark() {
        syncAll(ALICE_KEY);
        harness.clock.advance(Duration.ofSeconds(6));
        syncAll(ALICE_KEY);
        harness.clock.advance(Duration.ofSeconds(6));
        syncAll(ALICE_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(2);
    }

    @Test
    void getAllIsNotASync() {
        harness.get("/api/v37/my/lock", ALICE_KEY);
        harness.get("/api/v37/my/lock", ALICE_KEY);
        syncAll(ALICE_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isZero();
    }

    @Test
    void floorIsConfigurableAndClearRequestsResetsTheCount() {
        try (Harness relaxed = Harness.start(builder -> builder.syncFloor(Duration.ofSeconds(20)))) {
            relaxed.sim.addAccount("alice", ALICE_KEY);
            relaxed.get("/api/v37/my/lock/sync", ALICE_KEY);
            relaxed.clock.advance(Duration.ofSeconds(15));
            relaxed.get("/api/v37/my/lock/sync", ALICE_KEY);
            assertThat(relaxed.sim.syncCallsTooSoon()).isEqualTo(1);

            relaxed.sim.clearRequests();

            assertThat(relaxed.sim.syncCallsTooSoon()).isZero();
            assertThat(relaxed.sim.requests()).isEmpty();
        }
    }

    private Reply syncAll(String personalKey) {
        return harness.get("/api/v37/my/lock/sync", personalKey);
    }

    private void syncSingle(long id) {
        assertThat(harness.get("/api/v37/my/lock/" + id + "/sync", ALICE_KEY).status()).isEqualTo(200);
    }
}
