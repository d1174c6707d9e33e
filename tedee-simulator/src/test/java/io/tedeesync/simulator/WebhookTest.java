package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTest {

    private static final String SERIAL = "111111-11111";

    private Harness harness;
    private WebhookReceiver receiver;
    private long lockId;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        lockId = harness.sim.addLock("alice", SERIAL, "Front door");
        receiver = new WebhookReceiver();
        harness.sim.registerWebhook(receiver.url());
    }

    @AfterEach
    void stop() {
        harness.close();
        receiver.close();
    }

    @Test
    void lockStatusChangeGoesOnceToEveryUserWithAccess() {
        harness.sim.shareLock(SERIAL, "bob");
        harness.clock.advance(Duration.ofSeconds(7));

        harness.sim.setLockState(SERIAL, 2);

        assertThat(receiver.received()).hasSize(2);
        assertThat(receiver.received()).extracting(body -> body.get("userIdentity").asText())
                .containsExactly(harness.alice.userIdentity(), harness.bob.userIdentity());
        JsonNode webhook = receiver.received().get(0);
        assertThat(LockPayloadTest.names(webhook)).containsExactly("event", "timestamp", "userIdentity", "data");
        assertThat(webhook.get("event").asText()).isEqualTo("lock-status-changed");
        assertThat(webhook.get("timestamp").asText()).isEqualTo("2025-03-10T10:15:07.000Z");
        JsonNode data = webhook.get("data");
        assertThat(data.get("deviceId").asLong()).isEqualTo(lockId);
        assertThat(data.get("deviceType").asInt()).isEqualTo(2);
        assertThat(data.get("state").asInt()).isEqualTo(2);
        assertThat(data.get("doorState").asInt()).isZero();
        assertThat(data.get("eventTime").asText()).isEqualTo("2025-03-10T10:15:07.000Z");
    }

    @Test
    void noWebhookForIntermediateStatesAndTheFinalOneCarriesItsOwnTime() {
        harness.sim.setLockState(SERIAL, 2);
        receiver.clear();

        harness.post("/api/v37/my/lock/" + lockId + "/operation/lock", ALICE_KEY);
        harness.sim.advance();
        assertThat(receiver.received()).isEmpty();

        harness.passes(Duration.ofSeconds(10));

        assertThat(receiver.received()).hasSize(1);
        JsonNode data = receiver.received().get(0).get("data");
        assertThat(data.get("state").asInt()).isEqualTo(6);
        assertThat(data.get("eventTime").asText()).isEqualTo("2025-03-10T10:15:03.000Z");
        assertThat(receiver.received().get(0).get("timestamp").asText()).isEqualTo("2025-03-10T10:15:10.000Z");
    }

    @Test
    void settingAnIntermediateStateByHandSendsNothing() {
        harness.sim.setLockState(SERIAL, 4);
        harness.sim.setLockState(SERIAL, 5);
        harness.sim.setLockState(SERIAL, 8);
        harness.sim.setDoorState(SERIAL, 2);

        assertThat(receiver.received()).isEmpty();
        harness.sim.setLockState(SERIAL, 7);
        assertThat(receiver.received("lock-status-changed")).hasSize(1);
    }

    @Test
    void pullSendsPulledThenUnlocked() {
        harness.sim.setLockState(SERIAL, 2);
        receiver.clear();

        harness.post("/api/v37/my/lock/" + lockId + "/operation/pull", ALICE_KEY);
        harness.passes(Duration.ofSeconds(10));

        assertThat(receiver.received()).extracting(body -> body.get("data").get("state").asInt())
                .containsExactly(7, 2);
    }

    @Test
    void renameBumpsRevisionAndSendsSettingsChanged() {
        harness.sim.rename(SERIAL, "Main entrance");

        JsonNode sync = harness.get("/api/v37/my/lock/sync", ALICE_KEY).result().get(0);
        JsonNode lock = harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0);
        assertThat(sync.get("revision").asInt()).isEqualTo(2);
        assertThat(lock.get("revision").asInt()).isEqualTo(2);
        assertThat(lock.get("name").asText()).isEqualTo("Main entrance");
        JsonNode data = receiver.received("device-settings-changed").get(0).get("data");
        assertThat(data.get("deviceId").asLong()).isEqualTo(lockId);
        assertThat(data.get("name").asText()).isEqualTo("Main entrance");
        assertThat(data.get("revision").asInt()).isEqualTo(2);
        assertThat(data.get("deviceType").asInt()).isEqualTo(2);
    }

    @Test
    void changeSettingsBumpsRevisionAndTargetRevision() {
        harness.sim.changeSettings(SERIAL, Map.of("autoLockEnabled", true, "autoLockDelay", 30));

        JsonNode lock = harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0);
        assertThat(lock.get("revision").asInt()).isEqualTo(2);
        assertThat(lock.get("targetDeviceRevision").asInt()).isEqualTo(2);
        assertThat(lock.get("deviceSettings").get("autoLockDelay").asInt()).isEqualTo(30);
        assertThat(harness.sim.lock(SERIAL).deviceSettings()).containsEntry("autoLockEnabled", true);
        assertThat(receiver.received("device-settings-changed").get(0).get("data").get("revision").asInt())
                .isEqualTo(2);
    }

    @Test
    void connectionAndBatteryChangesHaveTheirOwnEvents() {
        harness.sim.setBattery(SERIAL, 41);
        harness.sim.disconnect(SERIAL);
        harness.sim.setLockState(SERIAL, 2); // unseen while offline
        harness.sim.reconnect(SERIAL);

        assertThat(receiver.received()).extracting(body -> body.get("event").asText()).containsExactly(
                "device-battery-level-changed", "device-connection-changed", "device-connection-changed");
        assertThat(receiver.received().get(0).get("data").get("batteryLevel").asInt()).isEqualTo(41);
        assertThat(receiver.received().get(1).get("data").get("isConnected").asBoolean()).isFalse();
        assertThat(receiver.received().get(2).get("data").get("isConnected").asBoolean()).isTrue();
    }

    @Test
    void bellGoesToAdminsAndOwnersWithTheDocumentedTimeSpelling() {
        harness.sim.shareLock(SERIAL, "bob");

        harness.sim.pressBell(SERIAL);

        assertThat(receiver.received("bell-button-pressed")).hasSize(2);
        JsonNode webhook = receiver.received().get(0);
        assertThat(LockPayloadTest.names(webhook.get("data"))).containsExactly("deviceId", "eventTime");
        assertThat(webhook.get("data").get("eventTime").asText()).isEqualTo("2025-03-10T10:15:00.0000000");
        assertThat(webhook.get("timestamp").asText()).isEqualTo("2025-03-10T10:15:00.0000000+00:00");
    }

    @Test
    void accountWithWebhooksDisabledGetsNone() {
        harness.sim.shareLock(SERIAL, "bob");
        harness.sim.webhooksEnabled("alice", false);

        harness.sim.setLockState(SERIAL, 2);

        assertThat(receiver.received()).extracting(body -> body.get("userIdentity").asText())
                .containsExactly(harness.bob.userIdentity());
    }

    @Test
    void failedDeliveriesAreRecordedNotThrown() {
        receiver.answer(500);
        harness.sim.registerWebhook(URI.create("http://127.0.0.1:1/nobody-listens"));

        harness.sim.setLockState(SERIAL, 2);

        assertThat(harness.sim.webhookDeliveries()).hasSize(2).allSatisfy(delivery -> {
            assertThat(delivery.delivered()).isFalse();
            assertThat(delivery.event()).isEqualTo("lock-status-changed");
            assertThat(delivery.userIdentity()).isEqualTo(harness.alice.userIdentity());
        });
        assertThat(harness.sim.webhookDeliveries()).extracting(WebhookDelivery::status).containsExactly(500, 0);
        assertThat(harness.sim.webhookDeliveries().get(1).failure()).isNotBlank();
    }

    @Test
    void deliveriesAreRecordedWithTheirBody() {
        harness.sim.setLockState(SERIAL, 2);

        WebhookDelivery delivery = harness.sim.webhookDeliveries().get(0);

        assertThat(delivery.delivered()).isTrue();
        assertThat(delivery.status()).isEqualTo(200);
        assertThat(delivery.target()).isEqualTo(receiver.url());
        assertThat(delivery.body()).contains("\"lock-status-changed\"");
    }

    @Test
    void removedLockSendsNothing() {
        harness.sim.removeLock(SERIAL);

        harness.sim.setLockState(SERIAL, 2);

        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void defaultExecutorDeliversOnItsOwnThreadAndCloseLetsItFinish() {
        try (TedeeSimulator sim = TedeeSimulator.builder().clock(harness.clock).build();
                WebhookReceiver other = new WebhookReceiver()) {
            sim.addAccount("carol", "k-carol");
            sim.addLock("carol", "999999-99999", "Door");
            sim.registerWebhook(other.url());

            sim.setLockState("999999-99999", 2);

            // close() lets the webhook thread finish its queue: no sleep needed to see the delivery.
            sim.close();
            assertThat(sim.webhookDeliveries()).hasSize(1);
            assertThat(other.received()).hasSize(1);
        }
    }
}
