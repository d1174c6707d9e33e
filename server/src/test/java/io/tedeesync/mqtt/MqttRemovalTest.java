package io.tedeesync.mqtt;

import static io.tedeesync.mqtt.MqttBed.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock that is gone leaves nothing on the broker: removed from its Tedee account (the engine says {@code removed}),
 * or with its whole account removed from the service (on one instance: nobody else will publish it).
 */
class MqttRemovalTest {
    private static final String DISCOVERY = MqttSettings.DEFAULT_DISCOVERY_PREFIX;

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private MqttBed bed;

    @BeforeEach
    void start() {
        broker = MosquittoBroker.anonymous(dir);
        bed = new MqttBed(dir, broker).lock("GONE-1", "Old shed", 6).lock("KEPT-1", "Front door", 6).start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(TopicWatcher.retainedNow(broker.url(), DISCOVERY + "/+/GONE-1/#")).isNotEmpty();
            assertThat(TopicWatcher.retainedNow(broker.url(), topic("GONE-1", "state"))).containsValue("LOCKED");
            assertThat(TopicWatcher.retainedNow(broker.url(), topic("KEPT-1", "state"))).containsValue("LOCKED");
        });
    }

    @AfterEach
    void stop() {
        bed.close();
        broker.close();
    }

    @Test
    void aLockRemovedFromTheAccountWhileTheServiceWasStoppedIsClearedByItsFirstSync() {
        bed.stopService();
        bed.simulator.removeLock("GONE-1");

        try (TopicWatcher watcher = TopicWatcher.watch(broker.url(), DISCOVERY + "/lock/GONE-1/config")) {
            bed.restartService(); // seeded from the store with GONE-1; its first sync finds it gone and says removed

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(TopicWatcher.retainedNow(broker.url(), DISCOVERY + "/+/GONE-1/#")).isEmpty();
                assertThat(TopicWatcher.retainedNow(broker.url(), MqttBed.PREFIX + "/GONE-1/#")).isEmpty();
            });
            assertThat(watcher.messages()).as("an empty retained config removes the entity")
                    .anyMatch(message -> message.payload().isEmpty());
        }
        assertThat(bed.service.engine().lock("GONE-1")).isEmpty();
        assertThat(TopicWatcher.retainedNow(broker.url(), DISCOVERY + "/lock/KEPT-1/config")).as("the others stay").hasSize(1);
        assertThat(TopicWatcher.retainedNow(broker.url(), topic("KEPT-1", "state"))).containsValue("LOCKED");
    }

    @Test
    void theLocksOfAnAccountRemovedFromTheServiceAreClearedOnASingleInstance() {
        assertThat(bed.service.engine().removeAccount("home").join()).isTrue();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(TopicWatcher.retainedNow(broker.url(), DISCOVERY + "/#")).isEmpty();
            assertThat(TopicWatcher.retainedNow(broker.url(), MqttBed.PREFIX + "/+/#")).as("no lock's topics")
                    .doesNotContainKeys(topic("GONE-1", "state"), topic("GONE-1", "availability"), topic("GONE-1", "attributes"),
                            topic("KEPT-1", "state"), topic("KEPT-1", "availability"), topic("KEPT-1", "attributes"));
        });
        assertThat(TopicWatcher.retainedNow(broker.url(), MqttBed.PREFIX + "/status")).as("the service runs on").containsValue("online");
    }
}
