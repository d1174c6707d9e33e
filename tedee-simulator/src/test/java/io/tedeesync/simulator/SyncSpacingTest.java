package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.Harness.BOB_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sync floor: no two sync requests of one account closer than the floor, whatever their form. */
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

    /** The floor was kept per lock: two single syncs of different locks one after the other went uncounted. */
    @Test
    void singleSyncsOfDifferentLocksCollideBecauseTheFloorIsAccountWide() {
        syncSingle(frontDoor);
        syncSingle(backDoor);
        harness.clock.advance(Duration.ofSeconds(3));
        syncSingle(frontDoor);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(2);
        assertThat(harness.sim.requests()).extracting(RecordedRequest::syncTooSoon).containsExactly(false, true, true);
    }

    @Test
    void filteredSyncsOfDisjointLocksCollideToo() {
        long garage = harness.sim.addLock("alice", "333333-33333", "Garage");
        harness.get("/api/v37/my/lock/sync?id=" + frontDoor, ALICE_KEY);
        harness.get("/api/v37/my/lock/sync?id=" + backDoor + "&id=" + garage, ALICE_KEY);
        harness.clock.advance(Duration.ofSeconds(10));
        harness.get("/api/v37/my/lock/sync?id=" + garage + "&id=999999", ALICE_KEY);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(1);
    }

    @Test
    void everyMixOfSyncFormsIsSpacedFromRequestToRequest() {
        syncAll(ALICE_KEY);
        harness.clock.advance(Duration.ofSeconds(9));
        harness.get("/api/v37/my/lock/sync?id=" + backDoor, ALICE_KEY);
        harness.clock.advance(Duration.ofSeconds(10));
        syncSingle(frontDoor);
        harness.clock.advance(Duration.ofMillis(9_999));
        syncAll(ALICE_KEY);

        assertThat(harness.sim.requests()).extracting(RecordedRequest::syncTooSoon).containsExactly(false, true, false, true);
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
    void aSyncAnsweredWithAFaultA429OrA404StillCounts() {
        harness.sim.injectFault(Fault.serverError(503), 1);
        assertThat(syncAll(ALICE_KEY).status()).isEqualTo(503);
        harness.clock.advance(Duration.ofSeconds(1));
        harness.sim.injectFault(Fault.rateLimited(Duration.ofSeconds(30)), 1);
        assertThat(syncAll(ALICE_KEY).status()).isEqualTo(429);
        harness.clock.advance(Duration.ofSeconds(1));
        assertThat(harness.get("/api/v37/my/lock/999999/sync", ALICE_KEY).status()).isEqualTo(404);

        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(2);
    }

    @Test
    void unauthenticatedSyncsAndDroppedConnectionsAreNotCounted() {
        assertThat(harness.get("/api/v37/my/lock/sync", "wrong-key").status()).isEqualTo(401);
        harness.sim.injectFault(Fault.dropConnection(), 1); // the JDK client resends the GET by itself
        assertThat(syncAll(ALICE_KEY).status()).isEqualTo(200);

        assertThat(harness.sim.syncCallsTooSoon()).isZero();
    }

    @Test
    void tooSoonIsCountedPerAccountToo() {
        syncAll(ALICE_KEY);
        syncAll(ALICE_KEY);
        syncAll(ALICE_KEY);
        syncAll(BOB_KEY);

        assertThat(harness.sim.syncCallsTooSoon("alice")).isEqualTo(2);
        assertThat(harness.sim.syncCallsTooSoon("bob")).isZero();
        assertThat(harness.sim.syncCallsTooSoon()).isEqualTo(2);
        assertThatThrownBy(() -> harness.sim.syncCallsTooSoon("nobody"))
                .isInstanceOf(IllegalArgumentException.class);
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
    void getAllGetSingleAndOperationsAreNotSyncs() {
        harness.get("/api/v37/my/lock", ALICE_KEY);
        syncAll(ALICE_KEY);
        harness.get("/api/v37/my/lock", ALICE_KEY);
        harness.get("/api/v37/my/lock/" + frontDoor, ALICE_KEY);
        harness.post("/api/v37/my/lock/" + frontDoor + "/operation/unlock", ALICE_KEY);

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
            assertThat(relaxed.sim.syncCallsTooSoon("alice")).isZero();
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
