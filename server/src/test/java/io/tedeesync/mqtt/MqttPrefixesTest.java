package io.tedeesync.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --mqtt-topic-prefix home/tedee --mqtt-discovery-prefix ha-disc}: every topic under them, and Home
 * Assistant's birth heard on {@code homeassistant/status} (its default, whatever the discovery prefix) and on
 * {@code ha-disc/status} (a user who changed both), re-sending the discovery configs only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttPrefixesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "home/tedee";
    private static final String DISCOVERY = "ha-disc";
    private static final String CONFIG = DISCOVERY + "/lock/PFX-1/config";
    private static final String STATE = PREFIX + "/PFX-1/state";

    @TempDir
    static Path dir;

    private MosquittoBroker broker;
    private MqttBed bed;
    private TopicWatcher watcher;

    @BeforeAll
    void start() {
        broker = MosquittoBroker.anonymous(dir);
        watcher = TopicWatcher.watch(broker.url(), "#");
        bed = new MqttBed(dir, broker).lock("PFX-1", "Front door", 6)
                .start(settings -> settings.withTopicPrefix(PREFIX).withDiscoveryPrefix(DISCOVERY));
        watcher.awaitLast(STATE, "LOCKED");
        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last(CONFIG) != null);
    }

    @AfterAll
    void stop() {
        watcher.close();
        bed.close();
        broker.close();
    }

    @Test
    void everyTopicIsUnderTheGivenPrefixesAndTheConfigsNameThem() throws Exception {
        JsonNode config = JSON.readTree(TopicWatcher.retainedNow(broker.url(), CONFIG).get(CONFIG));

        assertThat(config.get("state_topic").asText()).isEqualTo(STATE);
        assertThat(config.get("command_topic").asText()).isEqualTo(PREFIX + "/PFX-1/set");
        assertThat(config.get("json_attributes_topic").asText()).isEqualTo(PREFIX + "/PFX-1/attributes");
        assertThat(config.get("availability").findValuesAsText("topic")).containsExactly(PREFIX + "/status", PREFIX + "/PFX-1/availability");
        assertThat(TopicWatcher.retainedNow(broker.url(), PREFIX + "/status")).containsValue("online");
        assertThat(TopicWatcher.retainedNow(broker.url(), DISCOVERY + "/+/PFX-1/#")).hasSize(3); // lock, battery, charging
        assertThat(TopicWatcher.retainedNow(broker.url(), MqttSettings.DEFAULT_TOPIC_PREFIX + "/#")).as("nothing under the default").isEmpty();
        assertThat(TopicWatcher.retainedNow(broker.url(), MqttSettings.DEFAULT_DISCOVERY_PREFIX + "/#")).isEmpty();
    }

    @Test
    void homeAssistantsDefaultBirthTopicResendsTheConfigsOnly() {
        resendsTheConfigsOnlyOn(MqttBridge.HOME_ASSISTANT_STATUS);
    }

    @Test
    void theBirthTopicUnderTheCustomDiscoveryPrefixResendsThemToo() {
        resendsTheConfigsOnlyOn(DISCOVERY + "/status");
    }

    private void resendsTheConfigsOnlyOn(String birthTopic) {
        String battery = DISCOVERY + "/sensor/PFX-1/battery/config";
        int configs = watcher.payloads(CONFIG).size();
        int batteries = watcher.payloads(battery).size();
        int states = watcher.payloads(STATE).size();

        watcher.publish(birthTopic, "online", false);

        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.payloads(CONFIG).size() > configs
                && watcher.payloads(battery).size() > batteries);
        // A barrier through the bridge's thread and connection: a command's answer (REFUSED, commands are off) goes out
        // after whatever the re-discovery sent, in order.
        int answers = watcher.payloads(PREFIX + "/PFX-1/operation").size();
        watcher.publish(PREFIX + "/PFX-1/set", "LOCK", false);
        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.payloads(PREFIX + "/PFX-1/operation").size() > answers);
        assertThat(watcher.payloads(STATE)).as("state and attributes are retained already: not sent again").hasSize(states);
    }
}
