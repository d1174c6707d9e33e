package io.tedeesync.mqtt;

import static io.tedeesync.mqtt.MqttBed.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <prefix>/<serial>/set} through the real service to the simulator's lock, and the answer on {@code .../operation}. */
class MqttCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private MqttBed bed;
    private TopicWatcher watcher;

    private void start(boolean commands, String discoveryPrefix) {
        broker = MosquittoBroker.anonymous(dir);
        watcher = TopicWatcher.watch(broker.url(), "#");
        startService(commands, discoveryPrefix);
    }

    private void startService(boolean commands, String discoveryPrefix) {
        bed = new MqttBed(dir, broker).lock("CMD-1", "Front door", 2).lock("CMD-2", "Back door", 6);
        bed.simulator.changeSettings("CMD-2", Map.of("pullSpringEnabled", false));
        bed.start(settings -> settings.withCommands(commands).withDiscoveryPrefix(discoveryPrefix));
        watcher.awaitLast(topic("CMD-1", "state"), "UNLOCKED");
        watcher.awaitLast(topic("CMD-2", "state"), "LOCKED");
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
        if (bed != null) {
            bed.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void lockOnTheCommandTopicLocksTheLockAndTheOutcomeIsPublished() {
        start(true, MqttSettings.DEFAULT_DISCOVERY_PREFIX);

        watcher.publish(topic("CMD-1", "set"), "LOCK", false);

        await().atMost(Duration.ofSeconds(30)).until(() -> watcher.last(topic("CMD-1", "operation")) != null);
        JsonNode outcome = json(watcher.last(topic("CMD-1", "operation")));
        assertThat(outcome.get("command").asText()).isEqualTo("LOCK");
        assertThat(outcome.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcome.get("state").asText()).isEqualTo("LOCKED");
        assertThat(bed.simulator.lock("CMD-1").stateCode()).as("the simulator's lock").isEqualTo(6);
        watcher.awaitLast(topic("CMD-1", "state"), "LOCKED");
        assertThat(watcher.messages()).filteredOn(message -> message.topic().equals(topic("CMD-2", "operation"))).isEmpty();
    }

    @Test
    void openPullsTheLatchAndAnUnknownCommandIsRejectedWithoutATouch() {
        start(true, MqttSettings.DEFAULT_DISCOVERY_PREFIX);

        watcher.publish(topic("CMD-2", "set"), "DANCE", false);
        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last(topic("CMD-2", "operation")) != null);
        JsonNode rejected = json(watcher.last(topic("CMD-2", "operation")));
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.get("message").asText()).contains("LOCK, UNLOCK or OPEN");
        assertThat(bed.simulator.lock("CMD-2").stateCode()).isEqualTo(6);

        watcher.publish(topic("CMD-1", "set"), "OPEN", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> watcher.last(topic("CMD-1", "operation")) != null);
        JsonNode pulled = json(watcher.last(topic("CMD-1", "operation")));
        assertThat(pulled.get("command").asText()).isEqualTo("OPEN");
        assertThat(pulled.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(bed.simulator.requests()).as("the simulator was asked to pull")
                .anyMatch(request -> request.path().endsWith("/operation/pull"));
    }

    @Test
    void withoutTheCommandsFlagACommandIsRefusedAndWithoutDiscoveryNoConfigIsPublished() {
        start(false, null);

        watcher.publish(topic("CMD-2", "set"), "UNLOCK", false);

        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last(topic("CMD-2", "operation")) != null);
        JsonNode refused = json(watcher.last(topic("CMD-2", "operation")));
        assertThat(refused.get("status").asText()).isEqualTo("REFUSED");
        assertThat(refused.get("message").asText()).contains("--mqtt-commands");
        assertThat(bed.simulator.lock("CMD-2").stateCode()).isEqualTo(6);
        assertThat(bed.simulator.requests()).noneMatch(request -> request.path().contains("/operation/"));
        assertThat(TopicWatcher.retainedNow(broker.url(), MqttSettings.DEFAULT_DISCOVERY_PREFIX + "/#")).as("discovery off").isEmpty();
        assertThat(TopicWatcher.retainedNow(broker.url(), topic("CMD-2", "state"))).containsValue("LOCKED");
    }

    @Test
    void aRetainedCommandIsIgnoredWhenTheServiceSubscribes() {
        broker = MosquittoBroker.anonymous(dir);
        watcher = TopicWatcher.watch(broker.url(), "#");
        watcher.publish(topic("CMD-1", "set"), "LOCK", true); // kept by the broker: would run at every (re)connection

        startService(true, MqttSettings.DEFAULT_DISCOVERY_PREFIX);
        // A barrier: the retained command came with the subscription, before this one, on the bridge's one thread.
        watcher.publish(topic("CMD-1", "set"), "DANCE", false);

        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last(topic("CMD-1", "operation")) != null);
        assertThat(watcher.payloads(topic("CMD-1", "operation"))).singleElement().asString().contains("\"command\":\"DANCE\"");
        assertThat(bed.simulator.lock("CMD-1").stateCode()).as("not locked").isEqualTo(2);
        assertThat(bed.simulator.requests()).noneMatch(request -> request.path().contains("/operation/"));
    }

    @Test
    void withThePullSpringOffThereIsNoOpenInDiscoveryAndOpenIsRejected() throws Exception {
        start(true, MqttSettings.DEFAULT_DISCOVERY_PREFIX);
        String discovery = MqttSettings.DEFAULT_DISCOVERY_PREFIX;
        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last(discovery + "/lock/CMD-2/config") != null
                && watcher.last(discovery + "/lock/CMD-1/config") != null);
        assertThat(json(watcher.last(discovery + "/lock/CMD-2/config")).has("payload_open")).as("pull spring off").isFalse();
        assertThat(json(watcher.last(discovery + "/lock/CMD-1/config")).get("payload_open").asText()).isEqualTo("OPEN");

        watcher.publish(topic("CMD-2", "set"), "OPEN", false);

        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last(topic("CMD-2", "operation")) != null);
        JsonNode rejected = json(watcher.last(topic("CMD-2", "operation")));
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.get("message").asText()).isEqualTo("this lock has no pull spring enabled");
        assertThat(bed.simulator.requests()).noneMatch(request -> request.path().contains("/operation/"));
    }

    @Test
    void everyAnswerEchoesAShortWordOfTheCommandNotThePayload() {
        start(false, null);
        String flood = "UNLOCK" + "x".repeat(500);

        watcher.publish(topic("CMD-2", "set"), flood, false);

        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last(topic("CMD-2", "operation")) != null);
        JsonNode refused = json(watcher.last(topic("CMD-2", "operation")));
        assertThat(refused.get("status").asText()).isEqualTo("REFUSED");
        assertThat(refused.get("command").asText()).hasSizeLessThanOrEqualTo(19).startsWith("UNLOCKX");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
