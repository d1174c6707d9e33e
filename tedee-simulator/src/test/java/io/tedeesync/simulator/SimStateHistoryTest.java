package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.Harness.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimStateHistoryTest {

    private static final String SERIAL = "111111-11111";

    @Test
    void everyPositionAndConnectionChangeIsKeptInOrderAtSimulatedTime() {
        try (Harness harness = Harness.start().withAliceAndBob()) {
            long id = harness.sim.addLock("alice", SERIAL, "Front door");

            harness.passes(Duration.ofMinutes(10));
            harness.sim.setLockState(SERIAL, 2);                                  // a hand on the knob
            harness.passes(Duration.ofMinutes(10));
            assertThat(harness.post("/api/v37/my/lock/" + id + "/operation/lock", ALICE_KEY).status()).isEqualTo(202);
            harness.passes(Duration.ofHours(1));                                   // locking, then locked 3 s later
            harness.sim.disconnect(SERIAL);
            harness.passes(Duration.ofMinutes(5));
            harness.sim.reconnect(SERIAL);
            harness.passes(Duration.ofMinutes(5));
            harness.sim.setLockState(SERIAL, 2);
            harness.passes(Duration.ofMinutes(1));
            assertThat(harness.post("/api/v37/my/lock/" + id + "/operation/pull", ALICE_KEY).status()).isEqualTo(202);
            harness.passes(Duration.ofMinutes(1));                                 // pulling, pulled, released by the 2 s spring

            Instant operated = START.plus(Duration.ofMinutes(20));
            Instant disconnected = operated.plus(Duration.ofHours(1));
            Instant pulled = disconnected.plus(Duration.ofMinutes(11));
            assertThat(harness.sim.stateHistory(SERIAL)).containsExactly(
                    new SimStateChange(START, 6, true),
                    new SimStateChange(START.plus(Duration.ofMinutes(10)), 2, true),
                    new SimStateChange(operated, 5, true),
                    new SimStateChange(operated.plusSeconds(3), 6, true),
                    new SimStateChange(disconnected, 6, false),
                    new SimStateChange(disconnected.plus(Duration.ofMinutes(5)), 6, true),
                    new SimStateChange(disconnected.plus(Duration.ofMinutes(10)), 2, true),
                    new SimStateChange(pulled, 8, true),
                    new SimStateChange(pulled.plusSeconds(3), 7, true),
                    new SimStateChange(pulled.plusSeconds(5), 2, true));
        }
    }

    @Test
    void aChangeToWhereTheLockAlreadyIsIsNoChange() {
        try (Harness harness = Harness.start().withAliceAndBob()) {
            harness.sim.addLock("alice", SERIAL, "Front door");
            harness.passes(Duration.ofMinutes(1));
            harness.sim.setLockState(SERIAL, 6);
            harness.sim.reconnect(SERIAL);
            harness.sim.setBattery(SERIAL, 40);
            harness.sim.setDoorState(SERIAL, 2);

            assertThat(harness.sim.stateHistory(SERIAL)).containsExactly(new SimStateChange(START, 6, true));
        }
    }

    @Test
    void aTurnWhileDisconnectedIsKeptAsTheDeviceMovedEvenThoughNoClientCanSeeIt() {
        try (Harness harness = Harness.start().withAliceAndBob()) {
            harness.sim.addLock("alice", SERIAL, "Front door");
            harness.sim.disconnect(SERIAL);
            harness.passes(Duration.ofMinutes(1));
            harness.sim.setLockState(SERIAL, 2);

            assertThat(harness.sim.stateHistory(SERIAL)).containsExactly(new SimStateChange(START, 6, true),
                    new SimStateChange(START, 6, false), new SimStateChange(START.plus(Duration.ofMinutes(1)), 2, false));
        }
    }

    @Test
    void randomActivityHistoryIsExactlyWhatItsWebhooksTell() {
        try (Harness harness = Harness.start(builder -> builder.seed(5)); WebhookReceiver receiver = new WebhookReceiver()) {
            harness.sim.addAccount("alice", ALICE_KEY);
            harness.sim.registerWebhook(receiver.url());
            harness.sim.addLock("alice", SERIAL, "Front door");
            harness.sim.setDoorState(SERIAL, 3);
            harness.sim.randomActivity(Duration.ofMinutes(3));
            harness.passes(Duration.ofHours(12));

            // Random activity never moves an offline lock, so its webhooks tell every change.
            List<SimStateChange> told = new ArrayList<>(List.of(new SimStateChange(START, 6, true)));
            for (JsonNode body : receiver.received()) {
                JsonNode data = body.get("data");
                SimStateChange last = told.get(told.size() - 1);
                Instant at = data.has("eventTime") ? Instant.parse(data.get("eventTime").asText()) : null;
                SimStateChange next = switch (body.get("event").asText()) {
                    case "lock-status-changed" -> new SimStateChange(at, data.get("state").asInt(), last.connected());
                    case "device-connection-changed" -> new SimStateChange(at, last.stateCode(), data.get("isConnected").asBoolean());
                    default -> last;
                };
                if (next.stateCode() != last.stateCode() || next.connected() != last.connected()) {
                    told.add(next);
                }
            }

            List<SimStateChange> history = harness.sim.stateHistory(SERIAL);
            assertThat(history).hasSizeGreaterThan(50).isEqualTo(told);
            assertThat(history).anyMatch(change -> !change.connected()).anyMatch(change -> change.stateCode() == 2);
            SimLock now = harness.sim.lock(SERIAL);
            SimStateChange last = history.get(history.size() - 1);
            assertThat(List.of(last.stateCode(), last.connected())).containsExactly(now.stateCode(), now.connected());
        }
    }

    @Test
    void onlyTheLatestChangesUpToTheCapacityAreKept() {
        try (Harness harness = Harness.start(builder -> builder.stateHistoryCapacity(3)).withAliceAndBob()) {
            harness.sim.addLock("alice", SERIAL, "Front door");
            for (int minute = 1; minute <= 20; minute++) {
                harness.passes(Duration.ofMinutes(1));
                harness.sim.setLockState(SERIAL, minute % 2 == 0 ? 6 : 2);
            }

            assertThat(harness.sim.stateHistory(SERIAL)).containsExactly(
                    new SimStateChange(START.plus(Duration.ofMinutes(18)), 6, true),
                    new SimStateChange(START.plus(Duration.ofMinutes(19)), 2, true),
                    new SimStateChange(START.plus(Duration.ofMinutes(20)), 6, true));
        }
        try (Harness none = Harness.start(builder -> builder.stateHistoryCapacity(0)).withAliceAndBob()) {
            none.sim.addLock("alice", SERIAL, "Front door");
            none.sim.setLockState(SERIAL, 2);

            assertThat(none.sim.stateHistory(SERIAL)).isEmpty();
        }
        assertThatThrownBy(() -> TedeeSimulator.builder().stateHistoryCapacity(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHistoryOutlivesARemovalAndAnUnknownSerialIsRefused() {
        try (Harness harness = Harness.start().withAliceAndBob()) {
            harness.sim.addLock("alice", SERIAL, "Front door");
            harness.sim.removeLock(SERIAL);
            harness.passes(Duration.ofMinutes(1));
            harness.sim.reAddLock(SERIAL);
            harness.sim.setLockState(SERIAL, 2);

            assertThat(harness.sim.stateHistory(SERIAL)).containsExactly(new SimStateChange(START, 6, true),
                    new SimStateChange(START.plus(Duration.ofMinutes(1)), 2, true));
            assertThatThrownBy(() -> harness.sim.stateHistory("999999-99999")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
