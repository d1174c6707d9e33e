package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.Harness.BOB_KEY;
import static io.tedeesync.simulator.LockPayloadTest.assertError;
import static io.tedeesync.simulator.LockPayloadTest.idsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LockLifecycleTest {

    private static final String SERIAL = "111111-11111";

    private Harness harness;
    private long lockId;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        lockId = harness.sim.addLock("alice", SERIAL, "Front door");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void lockIdsAreGlobalAndIncreasing() {
        long second = harness.sim.addLock("bob", "222222-22222", "Bob's door");
        long third = harness.sim.addLock("alice", "333333-33333", "Garage");

        assertThat(lockId).isEqualTo(1000);
        assertThat(second).isEqualTo(1001);
        assertThat(third).isEqualTo(1002);
    }

    @Test
    void reAddedLockKeepsItsSerialUnderANewIdAndTheOldIdIs404() {
        harness.sim.rename(SERIAL, "Renamed");
        harness.clock.advance(Duration.ofMinutes(1));

        long newId = harness.sim.reAddLock(SERIAL);

        assertThat(newId).isNotEqualTo(lockId).isGreaterThan(lockId);
        assertError(harness.get("/api/v37/my/lock/" + lockId, ALICE_KEY), 404);
        assertError(harness.get("/api/v37/my/lock/" + lockId + "/sync", ALICE_KEY), 404);
        assertError(harness.post("/api/v37/my/lock/" + lockId + "/operation/unlock", ALICE_KEY), 404);
        JsonNode lock = harness.get("/api/v37/my/lock/" + newId, ALICE_KEY).result();
        assertThat(lock.get("serialNumber").asText()).isEqualTo(SERIAL);
        assertThat(lock.get("name").asText()).isEqualTo("Renamed");
        assertThat(lock.get("revision").asInt()).isEqualTo(1);
        assertThat(lock.get("created").asText()).isEqualTo("2025-03-10T10:16:00");
        assertThat(idsOf(harness.get("/api/v37/my/lock/sync", ALICE_KEY))).containsExactly(newId);
        assertThat(harness.sim.lock(SERIAL).id()).isEqualTo(newId);
    }

    @Test
    void reAddingDropsTheSharedAccesses() {
        harness.sim.shareLock(SERIAL, "bob");
        assertThat(harness.get("/api/v37/my/lock", BOB_KEY).result()).hasSize(1);

        harness.sim.reAddLock(SERIAL);

        assertThat(harness.get("/api/v37/my/lock", BOB_KEY).result()).isEmpty();
    }

    @Test
    void removedLockDisappearsUntilReAdded() {
        harness.sim.removeLock(SERIAL);

        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).result()).isEmpty();
        assertError(harness.get("/api/v37/my/lock/" + lockId, ALICE_KEY), 404);
        assertThat(harness.sim.lock(SERIAL).present()).isFalse();

        long newId = harness.sim.reAddLock(SERIAL);

        assertThat(idsOf(harness.get("/api/v37/my/lock", ALICE_KEY))).containsExactly(newId);
        assertThat(harness.sim.lock(SERIAL).present()).isTrue();
    }

    @Test
    void removingALockMidOperationFailsTheOperation() {
        harness.sim.setLockState(SERIAL, 2);
        String operationId = harness.post("/api/v37/my/lock/" + lockId + "/operation/lock", ALICE_KEY)
                .result().get("operationId").asText();

        harness.sim.removeLock(SERIAL);
        harness.clock.advance(Duration.ofSeconds(3));

        JsonNode status = harness.get("/api/v37/my/device/operation/" + operationId, ALICE_KEY).result();
        assertThat(status.get("result").asInt()).isEqualTo(1);
    }

    @Test
    void snapshotShowsWhatTheControlsSet() {
        harness.sim.setDoorState(SERIAL, 2);
        harness.sim.setBattery(SERIAL, 17);
        harness.sim.setCharging(SERIAL, true);
        harness.clock.advance(Duration.ofSeconds(5));
        harness.sim.setLockState(SERIAL, 3);

        SimLock lock = harness.sim.lock(SERIAL);

        assertThat(lock.id()).isEqualTo(lockId);
        assertThat(lock.name()).isEqualTo("Front door");
        assertThat(lock.stateCode()).isEqualTo(3);
        assertThat(lock.doorStateCode()).isEqualTo(2);
        assertThat(lock.batteryLevel()).isEqualTo(17);
        assertThat(lock.charging()).isTrue();
        assertThat(lock.connected()).isTrue();
        assertThat(lock.lastStateChangedDate()).isEqualTo(Harness.START.plusSeconds(5));
        assertThat(harness.sim.locks()).containsExactly(lock);
        JsonNode state = harness.get("/api/v37/my/lock/" + lockId + "/sync", ALICE_KEY).result().get("deviceState");
        assertThat(state.get("isCharging").asBoolean()).isTrue();
    }

    @Test
    void controlsRefuseWhatCannotBe() {
        assertThatThrownBy(() -> harness.sim.addAccount("alice", "other-key"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.sim.addAccount("carol", ALICE_KEY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.sim.addLock("alice", SERIAL, "Twin"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.sim.addLock("nobody", "999999-99999", "Door"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.sim.addLock("alice", "999999-99999", "Door", 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.sim.setLockState("000000-00000", 6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.sim.setBattery(SERIAL, 101))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accountsHideTheirKeyWhenPrinted() {
        assertThat(harness.alice.toString()).doesNotContain(ALICE_KEY).contains("alice");
    }
}
