package io.tedeesync.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Home Assistant discovery as the real service publishes it to a real mosquitto: every config valid by the schema
 * transcribed from Home Assistant's docs (src/test/resources/homeassistant), naming the topics and payloads the
 * service uses, sent again when Home Assistant comes online (removal: {@link MqttRemovalTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DISCOVERY = MqttSettings.DEFAULT_DISCOVERY_PREFIX;

    @TempDir
    static Path dir;

    private MosquittoBroker broker;
    private MqttBed bed;
    private TopicWatcher watcher;
    private Schema schema;

    @BeforeAll
    void start() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/homeassistant/mqtt-discovery.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        broker = MosquittoBroker.anonymous(dir);
        watcher = TopicWatcher.watch(broker.url(), DISCOVERY + "/#");
        bed = new MqttBed(dir, broker)
                .lock("DISC-1", "Front door", 6)
                .lock("DISC-2", "Garden gate", 2);
        bed.simulator.setDoorState("DISC-1", 3);
        bed.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last(DISCOVERY + "/lock/DISC-2/config") != null && watcher.last(DISCOVERY + "/lock/DISC-1/config") != null);
    }

    @AfterAll
    void stop() {
        watcher.close();
        bed.close();
        broker.close();
    }

    @Test
    void everyRetainedConfigIsValidByHomeAssistantsDocumentedOptions() throws Exception {
        Map<String, String> configs = TopicWatcher.retainedNow(broker.url(), DISCOVERY + "/+/DISC-1/#");
        configs = new HashMap<>(configs);
        configs.putAll(TopicWatcher.retainedNow(broker.url(), DISCOVERY + "/+/DISC-2/#"));

        assertThat(configs).containsOnlyKeys(DISCOVERY + "/lock/DISC-1/config", DISCOVERY + "/sensor/DISC-1/battery/config",
                DISCOVERY + "/binary_sensor/DISC-1/charging/config", DISCOVERY + "/binary_sensor/DISC-1/door/config",
                DISCOVERY + "/lock/DISC-2/config", DISCOVERY + "/sensor/DISC-2/battery/config",
                DISCOVERY + "/binary_sensor/DISC-2/charging/config"); // DISC-2 has no door sensor: no door entity
        for (Map.Entry<String, String> config : configs.entrySet()) {
            String component = config.getKey().split("/")[1];
            assertThat(errors(component, config.getValue())).as(config.getKey()).isEmpty();
        }
    }

    @Test
    void theSchemaRefusesWhatHomeAssistantWouldNot() {
        assertThat(errors("lock", "{\"state_topic\":\"a/b\"}")).as("no command_topic").isNotEmpty();
        assertThat(errors("lock", "{\"command_topic\":\"a/b\",\"payload_unlok\":\"UNLOCK\"}")).as("a typo").isNotEmpty();
        assertThat(errors("sensor", "{\"state_topic\":\"a\",\"device_class\":\"battery\",\"unit_of_measurement\":\"V\"}"))
                .as("a battery in volts").isNotEmpty();
        assertThat(errors("binary_sensor", "{\"state_topic\":\"a\",\"device_class\":\"doors\"}")).as("an unknown class").isNotEmpty();
        assertThat(errors("lock", "{\"command_topic\":\"a/b\",\"availability_mode\":\"every\"}")).isNotEmpty();
        assertThat(errors("lock", "{\"command_topic\":\"a/b\",\"device\":{\"name\":\"x\"}}")).as("a device without identifiers").isNotEmpty();
    }

    @Test
    void theLockConfigNamesTheTopicsAndPayloadsTheServiceUses() throws Exception {
        JsonNode lock = JSON.readTree(TopicWatcher.retainedNow(broker.url(), DISCOVERY + "/lock/DISC-1/config").get(DISCOVERY + "/lock/DISC-1/config"));

        assertThat(lock.get("unique_id").asText()).isEqualTo("tedee_DISC-1");
        assertThat(lock.get("state_topic").asText()).isEqualTo("tedee-sync/DISC-1/state");
        assertThat(lock.get("command_topic").asText()).isEqualTo("tedee-sync/DISC-1/set");
        assertThat(lock.get("json_attributes_topic").asText()).isEqualTo("tedee-sync/DISC-1/attributes");
        assertThat(List.of(lock.get("payload_lock").asText(), lock.get("payload_unlock").asText(), lock.get("payload_open").asText()))
                .containsExactly("LOCK", "UNLOCK", "OPEN");
        for (String state : List.of("locked", "unlocked", "locking", "unlocking", "jammed", "open", "opening")) {
            assertThat(lock.get("state_" + state).asText()).isEqualTo(state.toUpperCase());
        }
        assertThat(lock.get("payload_reset").asText()).isEqualTo("UNKNOWN");
        assertThat(lock.get("availability_mode").asText()).isEqualTo("all");
        assertThat(lock.get("availability").findValuesAsText("topic")).containsExactly("tedee-sync/status", "tedee-sync/DISC-1/availability");
        JsonNode device = lock.get("device");
        assertThat(device.get("identifiers").get(0).asText()).as("prefixed: not merged with a device named by the bare serial").isEqualTo("tedee_DISC-1");
        assertThat(device.get("manufacturer").asText()).isEqualTo("Tedee");
        assertThat(device.get("model").asText()).isEqualTo("Lock PRO");
        assertThat(device.get("name").asText()).isEqualTo("Front door");
        assertThat(device.get("serial_number").asText()).isEqualTo("DISC-1");

        Map<String, String> all = TopicWatcher.retainedNow(broker.url(), DISCOVERY + "/+/DISC-1/#");
        for (String config : all.values()) {
            assertThat(JSON.readTree(config).get("device")).as("one device for the lock's entities").isEqualTo(device);
        }
        JsonNode battery = JSON.readTree(all.get(DISCOVERY + "/sensor/DISC-1/battery/config"));
        assertThat(battery.get("device_class").asText()).isEqualTo("battery");
        assertThat(battery.get("unit_of_measurement").asText()).isEqualTo("%");
        assertThat(battery.get("state_class").asText()).isEqualTo("measurement");
        assertThat(JSON.readTree(all.get(DISCOVERY + "/binary_sensor/DISC-1/charging/config")).get("device_class").asText())
                .isEqualTo("battery_charging");
        assertThat(JSON.readTree(all.get(DISCOVERY + "/binary_sensor/DISC-1/door/config")).get("device_class").asText()).isEqualTo("door");
    }

    @Test
    void discoveryIsSentAgainWhenHomeAssistantComesOnline() {
        String config = DISCOVERY + "/lock/DISC-2/config";
        int before = watcher.payloads(config).size();

        watcher.publish(DISCOVERY + "/status", "online", false);

        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.payloads(config).size() > before);
        assertThat(watcher.last(config)).contains("\"unique_id\":\"tedee_DISC-2\"");
    }

    private List<Error> errors(String component, String config) {
        return schema.validate("{\"" + component + "\":" + config + "}", InputFormat.JSON);
    }
}
