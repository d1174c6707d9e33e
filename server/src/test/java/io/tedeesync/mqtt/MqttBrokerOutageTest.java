package io.tedeesync.mqtt;

import static io.tedeesync.mqtt.MqttBed.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker that goes away never stops the sync, and what changed meanwhile is on the broker once it is back. */
class MqttBrokerOutageTest {
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
