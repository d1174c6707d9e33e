package io.tedeesync.mqtt;

import static io.tedeesync.mqtt.MqttBed.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per lock, retained {@code state}, {@code attributes} and {@code availability} on a real mosquitto, published by
 * the real service: one lock in each Tedee state (and one disconnected), so the mapping table is checked whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttLockTopicsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private MosquittoBroker broker;
    private MqttBed bed;
    private TopicWatcher watcher;

    @BeforeAll
    void start() {
        broker = MosquittoBroker.anonymous(dir);
        watcher = TopicWatcher.watch(broker.url(), MqttBed.PREFIX + "/#");
        bed = new MqttBed(dir, broker);
        for (int code : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 18, 99}) {
            bed.lock("MAP-" + code, "State " + code, code);
        }
        bed.lock("MAP-OFF", "Unplugged", 6);
        bed.simulator.disconnect("MAP-OFF");
        bed.lock("ATTR-1", "Front door", 6);
        bed.simulator.setDoorState("ATTR-1", 3);
        bed.simulator.setBattery("ATTR-1", 77);
        bed.simulator.setCharging("ATTR-1", true);
        bed.lock("CHG-1", "Back door", 6);
        bed.start();
    }

    @AfterAll
    void stop() {
        watcher.close();
        bed.close();
        broker.close();
    }

    @ParameterizedTest(name = "Tedee {0} -> {1}, {2}")
    @CsvSource({
            "MAP-0, UNKNOWN, offline",    // Uncalibrated: a setup state, it cannot be operated
            "MAP-1, UNKNOWN, online",     // Calibrating
            "MAP-2, UNLOCKED, online",
            "MAP-3, JAMMED, online",      // SemiLocked
            "MAP-4, UNLOCKING, online",
            "MAP-5, LOCKING, online",
            "MAP-6, LOCKED, online",
            "MAP-7, OPEN, online",        // Pulled
            "MAP-8, OPENING, online",     // Pulling
            "MAP-9, UNKNOWN, online",     // Unknown
            "MAP-18, UNKNOWN, online",    // Updating
            "MAP-99, UNKNOWN, online",    // a code Tedee does not document
            "MAP-OFF, UNKNOWN, offline",  // disconnected: no current state
    })
    void everyTedeeStateHasItsRetainedStateAndAvailability(String serial, String state, String availability) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> retained = TopicWatcher.retainedNow(broker.url(), MqttBed.PREFIX + "/" + serial + "/#");
            assertThat(retained).containsEntry(topic(serial, "state"), state).containsEntry(topic(serial, "availability"), availability);
        });
    }

    @Test
    void theServiceSaysOnlineRetainedOnItsStatusTopic() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(TopicWatcher.retainedNow(broker.url(), MqttBed.PREFIX + "/status")).containsEntry(MqttBed.PREFIX + "/status", "online"));
    }

    @Test
    void attributesCarryBatteryChargingDoorConnectionStalenessAndAccount() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last(topic("ATTR-1", "attributes")) != null);
        JsonNode attributes = JSON.readTree(TopicWatcher.retainedNow(broker.url(), topic("ATTR-1", "attributes")).get(topic("ATTR-1", "attributes")));

        assertThat(attributes.get("serialNumber").asText()).isEqualTo("ATTR-1");
        assertThat(attributes.get("name").asText()).isEqualTo("Front door");
        assertThat(attributes.get("account").asText()).isEqualTo("home");
        assertThat(attributes.get("model").asText()).isEqualTo("Lock PRO");
        assertThat(attributes.get("battery").asInt()).isEqualTo(77);
        assertThat(attributes.get("charging").asBoolean()).isTrue();
        assertThat(attributes.get("door").asText()).isEqualTo("closed");
        assertThat(attributes.get("connected").asBoolean()).isTrue();
        assertThat(attributes.get("stale").asBoolean()).isFalse();
        assertThat(attributes.get("tedeeState").asText()).isEqualTo("LOCKED");
        assertThat(attributes.get("tedeeStateCode").asInt()).isEqualTo(6);
        assertThat(attributes.get("lastChange").asText()).isNotBlank();

        JsonNode unplugged = JSON.readTree(TopicWatcher.retainedNow(broker.url(), topic("MAP-OFF", "attributes")).get(topic("MAP-OFF", "attributes")));
        assertThat(unplugged.get("connected").asBoolean()).isFalse();
        assertThat(unplugged.get("tedeeState").isNull()).as("no current state while disconnected").isTrue();
        assertThat(unplugged.get("stale").asBoolean()).isFalse();
    }

    @Test
    void aChangeIsPublishedAndNothingOfTheLocksThatDidNotChange() {
        watcher.awaitLast(topic("CHG-1", "state"), "LOCKED");
        watcher.awaitLast(topic("MAP-2", "state"), "UNLOCKED");

        bed.simulator.setLockState("CHG-1", 2);
        bed.syncNow("CHG-1");
        watcher.awaitLast(topic("CHG-1", "state"), "UNLOCKED");

        assertThat(watcher.payloads(topic("CHG-1", "state"))).containsSubsequence("LOCKED", "UNLOCKED");
        assertThat(watcher.payloads(topic("MAP-2", "state"))).as("an unchanged lock is not published again").containsExactly("UNLOCKED");
        // Its attributes may change with time alone (stale, then confirmed again): what must never be is the same twice.
        List<String> attributes = watcher.payloads(topic("MAP-2", "attributes"));
        assertThat(attributes).isNotEmpty();
        for (int i = 1; i < attributes.size(); i++) {
            assertThat(attributes.get(i)).as("attributes sent again unchanged").isNotEqualTo(attributes.get(i - 1));
        }
    }
}
