package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.Harness.BOB_KEY;
import static io.tedeesync.simulator.LockPayloadTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationTest {

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
    void lockGoesThroughLockingAndCompletesAfterTheDelay() {
        harness.sim.setLockState(SERIAL, 2);
        harness.clock.advance(Duration.ofSeconds(30));

        Reply accepted = harness.post(operation("lock"), ALICE_KEY);

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().get("statusCode").asInt()).isEqualTo(202);
        String operationId = accepted.result().get("operationId").asText();
        assertThat(operationId).matches("\\d{13}");
        assertThat(accepted.result().get("lastStateChangedDate").asText()).isEqualTo("2025-03-10T10:15:30.000Z");
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(5);
        JsonNode pending = status(operationId);
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("type").asInt()).isZero();
        assertThat(pending.get("result").isNull()).isTrue();
        assertThat(pending.get("deviceId").asLong()).isEqualTo(lockId);

        harness.clock.advance(Duration.ofMillis(2999));
        assertThat(status(operationId).get("status").asText()).isEqualTo("PENDING");
        harness.clock.advance(Duration.ofMillis(1));

        JsonNode completed = status(operationId);
        assertThat(completed.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(completed.get("result").asInt()).isZero();
        JsonNode state = harness.get("/api/v37/my/lock/" + lockId + "/sync", ALICE_KEY).result().get("deviceState");
        assertThat(state.get("state").asInt()).isEqualTo(6);
        assertThat(state.get("lastStateChangedDate").asText()).isEqualTo("2025-03-10T10:15:33.000Z");
    }

    @Test
    void finalStateIsStampedWithItsDueTimeEvenWhenNobodyLookedThen() {
        harness.sim.setLockState(SERIAL, 2);
        harness.post(operation("lock"), ALICE_KEY);

        harness.clock.advance(Duration.ofMinutes(5));

        assertThat(harness.sim.lock(SERIAL).lastStateChangedDate()).isEqualTo(Harness.START.plusSeconds(3));
    }

    @Test
    void invalidTransitionIsAcceptedThenFailsWithResultOneAndNoChange() {
        Reply accepted = harness.post(operation("lock"), ALICE_KEY); // already locked

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(6);
        harness.clock.advance(Duration.ofSeconds(3));

        JsonNode completed = status(accepted.result().get("operationId").asText());
        assertThat(completed.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(completed.get("result").asInt()).isEqualTo(1);
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(6);
        assertThat(harness.sim.lock(SERIAL).lastStateChangedDate()).isEqualTo(Harness.START);
    }

    @Test
    void disconnectedLockRefusesTheOperation() {
        harness.sim.disconnect(SERIAL);

        String operationId = harness.post(operation("unlock"), ALICE_KEY).result().get("operationId").asText();
        harness.clock.advance(Duration.ofSeconds(3));

        assertThat(status(operationId).get("result").asInt()).isEqualTo(1);
        assertThat(harness.sim.lock(SERIAL).stateCode()).isEqualTo(6);
    }

    @Test
    void pullGoesThroughPulledBackToUnlockedAfterThePullSpringDuration() {
        harness.sim.setLockState(SERIAL, 2);

        String operationId = harness.post(operation("pull"), ALICE_KEY).result().get("operationId").asText();
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(8);
        assertThat(status(operationId).get("type").asInt()).isEqualTo(2);

        harness.clock.advance(Duration.ofSeconds(3));
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(7);
        assertThat(status(operationId).get("result").asInt()).isZero();

        harness.clock.advance(Duration.ofSeconds(2));
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(2);
    }

    @Test
    void pullFromLockedIsRefused() {
        String operationId = harness.post(operation("pull"), ALICE_KEY).result().get("operationId").asText();
        harness.clock.advance(Duration.ofSeconds(3));

        assertThat(status(operationId).get("result").asInt()).isEqualTo(1);
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(6);
    }

    @Test
    void unlockWithAutoPullSpringPassesThroughPulled() {
        harness.sim.changeSettings(SERIAL, Map.of("autoPullSpringEnabled", true, "pullSpringDuration", 5));

        harness.post(operation("unlock"), ALICE_KEY);
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(4);
        harness.clock.advance(Duration.ofSeconds(3));
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(7);
        harness.clock.advance(Duration.ofSeconds(4));
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(7);
        harness.clock.advance(Duration.ofSeconds(1));
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(2);
    }

    @Test
    void unlockWithoutAutoPullModeSkipsThePull() {
        harness.sim.changeSettings(SERIAL, Map.of("autoPullSpringEnabled", true));

        harness.post(operation("unlock") + "?mode=3", ALICE_KEY);
        harness.clock.advance(Duration.ofSeconds(3));

        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(2);
    }

    @Test
    void unlockOrPullModePullsAnUnlockedLock() {
        harness.sim.setLockState(SERIAL, 2);

        harness.post(operation("unlock") + "?mode=4", ALICE_KEY);

        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(8);
        harness.clock.advance(Duration.ofSeconds(3));
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(7);
    }

    @Test
    void onlyForceUnlockOpensALockInUnknownState() {
        harness.sim.setLockState(SERIAL, 9);

        String plain = harness.post(operation("unlock"), ALICE_KEY).result().get("operationId").asText();
        harness.clock.advance(Duration.ofSeconds(3));
        assertThat(status(plain).get("result").asInt()).isEqualTo(1);
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(9);

        String forced = harness.post(operation("unlock") + "?mode=2", ALICE_KEY).result().get("operationId").asText();
        harness.clock.advance(Duration.ofSeconds(3));
        assertThat(status(forced).get("result").asInt()).isZero();
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(2);
    }

    @Test
    void unlockModeOutsideTheEnumIs400() {
        assertError(harness.post(operation("unlock") + "?mode=1", ALICE_KEY), 400);
        assertError(harness.post(operation("unlock") + "?mode=x", ALICE_KEY), 400);
    }

    @Test
    void aHandOnTheKnobDuringAnOperationMakesItFail() {
        harness.sim.setLockState(SERIAL, 2);
        String operationId = harness.post(operation("lock"), ALICE_KEY).result().get("operationId").asText();

        harness.clock.advance(Duration.ofSeconds(1));
        harness.sim.setLockState(SERIAL, 3);
        harness.clock.advance(Duration.ofSeconds(5));

        assertThat(status(operationId).get("result").asInt()).isEqualTo(1);
        assertThat(harness.syncedState(lockId, ALICE_KEY)).isEqualTo(3);
    }

    @Test
    void operationIdsAreUniqueWithinOneMillisecond() {
        harness.sim.setLockState(SERIAL, 2);

        String first = harness.post(operation("lock"), ALICE_KEY).result().get("operationId").asText();
        String second = harness.post(operation("unlock"), ALICE_KEY).result().get("operationId").asText();

        assertThat(first).isEqualTo(Long.toString(Harness.START.toEpochMilli()));
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void operationsAreVisibleToTheirAccountOnly() {
        harness.sim.shareLock(SERIAL, "bob");
        harness.sim.setLockState(SERIAL, 2);
        String operationId = harness.post(operation("lock"), ALICE_KEY).result().get("operationId").asText();

        assertError(harness.get("/api/v37/my/device/operation/" + operationId, BOB_KEY), 404);
        assertError(harness.get("/api/v37/my/device/operation/12345", ALICE_KEY), 404);
        assertThat(harness.get("/api/v37/my/device/operation/" + operationId, ALICE_KEY).status()).isEqualTo(200);
    }

    @Test
    void operatingAnUnknownOrForeignLockIs404() {
        long bobsLock = harness.sim.addLock("bob", "222222-22222", "Bob's");

        assertError(harness.post("/api/v37/my/lock/999999/operation/lock", ALICE_KEY), 404);
        assertError(harness.post("/api/v37/my/lock/" + bobsLock + "/operation/unlock", ALICE_KEY), 404);
    }

    @Test
    void operationDelayIsConfigurable() {
        try (Harness quick = Harness.start(builder -> builder.operationDelay(Duration.ofMillis(500)))) {
            quick.sim.addAccount("alice", ALICE_KEY);
            long id = quick.sim.addLock("alice", SERIAL, "Front door");

            quick.post("/api/v37/my/lock/" + id + "/operation/unlock", ALICE_KEY);
            quick.clock.advance(Duration.ofMillis(500));

            assertThat(quick.syncedState(id, ALICE_KEY)).isEqualTo(2);
        }
    }

    private String operation(String name) {
        return "/api/v37/my/lock/" + lockId + "/operation/" + name;
    }

    private JsonNode status(String operationId) {
        Reply reply = harness.get("/api/v37/my/device/operation/" + operationId, ALICE_KEY);
        assertThat(reply.status()).isEqualTo(200);
        return reply.result();
    }
}
