package io.tedeesync.mqtt;

import static io.tedeesync.mqtt.MqttBed.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClientState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that goes away never stops the sync, shows in {@code /health} and the metrics, and what changed meanwhile
 * is on the broker once it is back; a bridge closed meanwhile stays closed.
 */
class MqttBrokerOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private MqttBed bed;

    @AfterEach
    void stop() {
        if (bed != null) {
            bed.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void whileTheBrokerIsDownSyncingGoesOnAndTheCurrentStateIsRepublishedWhenItIsBack() {
        broker = MosquittoBroker.anonymous(dir);
        bed = new MqttBed(dir, broker).lock("OUT-1", "Front door", 6).lock("OUT-2", "Back door", 6).start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(TopicWatcher.retainedNow(broker.url(), topic("OUT-1", "state"))).containsValue("LOCKED"));

        broker.kill(); // keeps nothing: whatever is retained after the restart was published again
        bed.simulator.setLockState("OUT-1", 2);
        bed.simulator.setBattery("OUT-2", 41);
        bed.syncNow("OUT-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> bed.service.engine().lock("OUT-1").orElseThrow().state().stateCode() == 2);

        broker.start();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, String> retained = TopicWatcher.retainedNow(broker.url(), MqttBed.PREFIX + "/#");
            assertThat(retained).containsEntry(MqttBed.PREFIX + "/status", "online")
                    .containsEntry(topic("OUT-1", "state"), "UNLOCKED")
                    .containsEntry(topic("OUT-2", "state"), "LOCKED")
                    .containsEntry(topic("OUT-1", "availability"), "online");
            assertThat(retained.get(topic("OUT-2", "attributes"))).contains("\"battery\":41");
        });
        assertThat(TopicWatcher.retainedNow(broker.url(), MqttSettings.DEFAULT_DISCOVERY_PREFIX + "/lock/OUT-1/config"))
                .as("discovery republished too").hasSize(1);
    }

    @Test
    void whileTheBrokerIsDownHealthIsDegradedWithWhyAndTheMetricsSayDisconnected() throws Exception {
        broker = MosquittoBroker.anonymous(dir);
        bed = new MqttBed(dir, broker).lock("HLT-1", "Front door", 6).start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode mqtt = JSON.readTree(bed.get("/health")).get("mqtt");
            assertThat(mqtt.get("connected").asBoolean()).isTrue();
            assertThat(mqtt.get("broker").asText()).isEqualTo(broker.url().toString());
            assertThat(mqtt.get("since").isNull()).isFalse();
            assertThat(bed.get("/metrics")).contains("tedee_sync_mqtt_connected 1.0").containsPattern("tedee_sync_mqtt_published_total [1-9]");
        });
        assertThat(JSON.readTree(bed.get("/health")).get("status").asText()).isEqualTo("ok");

        broker.kill();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode health = JSON.readTree(bed.get("/health"));
            assertThat(health.get("status").asText()).as("an output is missing; the mirror works").isEqualTo("degraded");
            assertThat(health.get("mqtt").get("connected").asBoolean()).isFalse();
            assertThat(health.get("mqtt").get("lastError").asText()).isNotBlank();
            assertThat(bed.get("/metrics")).contains("tedee_sync_mqtt_connected 0.0").contains("tedee_sync_mqtt_publish_failures_total");
        });

        broker.start();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(JSON.readTree(bed.get("/health")).get("mqtt").get("connected").asBoolean()).isTrue());
    }

    @Test
    void aBridgeClosedWhileTheBrokerIsDownNeverConnectsAgain() {
        broker = MosquittoBroker.anonymous(dir);
        bed = new MqttBed(dir, broker).lock("CLS-1", "Front door", 6).start();
        MqttSettings settings = MqttSettings.of(broker.url()).withTopicPrefix("closed-bridge");
        MqttHealth health = MqttHealth.register(settings, Clock.systemUTC(), new SimpleMeterRegistry());
        MqttBridge bridge = MqttBridge.start(settings, bed.service.engine(), Clock.systemUTC(), "closed-one", false, health);
        await().atMost(Duration.ofSeconds(20)).until(health::connected);

        broker.kill();
        await().atMost(Duration.ofSeconds(20)).until(() -> !health.connected());
        bridge.close();

        // HiveMQ 1.3.7 kept reconnecting (DISCONNECTED_RECONNECT, CONNECTING_RECONNECT) after disconnect() failed.
        await().atMost(Duration.ofSeconds(40)).until(() -> bridge.connectionState() == MqttClientState.DISCONNECTED);
        broker.start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TopicWatcher.retainedNow(broker.url(), MqttBed.PREFIX + "/status"))
                .as("the service's own bridge is back").containsValue("online"));
        assertThat(bridge.connectionState()).isEqualTo(MqttClientState.DISCONNECTED);
        assertThat(broker.log()).as("mosquitto saw no connection of the closed client").doesNotContain("tedee-sync-closed-one");
        assertThat(TopicWatcher.retainedNow(broker.url(), "closed-bridge/#")).isEmpty();
    }

    @Test
    void anotherInstancesLastWillDoesNotLeaveTheServiceOfflineWhileThisOneRuns() {
        broker = MosquittoBroker.anonymous(dir);
        bed = new MqttBed(dir, broker).lock("WILL-1", "Front door", 6).start();
        try (TopicWatcher watcher = TopicWatcher.watch(broker.url(), MqttBed.PREFIX + "/status")) {
            watcher.awaitLast(MqttBed.PREFIX + "/status", "online");

            watcher.publish(MqttBed.PREFIX + "/status", "offline", true); // as a dead instance's last will would

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(watcher.payloads(MqttBed.PREFIX + "/status"))
                    .containsSubsequence("online", "offline", "online"));
            assertThat(TopicWatcher.retainedNow(broker.url(), MqttBed.PREFIX + "/status")).containsValue("online");
        }
    }
}
