package io.tedeesync.mqtt;

import static io.tedeesync.mqtt.MqttBed.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.server.ShiftedClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy that nothing confirmed for longer than the staleness threshold (3 x the interval) makes the lock unavailable
 * in Home Assistant: staleness comes with time alone, which the service's clock is moved through here.
 */
class MqttStalenessTest {
    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private MqttBed bed;

    @AfterEach
    void stop() {
        bed.close();
        broker.close();
    }

    @Test
    void aStaleCopyMakesTheLockOfflineWithStaleInItsAttributes() {
        ShiftedClock clock = new ShiftedClock();
        broker = MosquittoBroker.anonymous(dir);
        try (TopicWatcher watcher = TopicWatcher.watch(broker.url(), MqttBed.PREFIX + "/#")) {
            // Polled every 30 min: no sync confirms it again while the test runs.
            bed = new MqttBed(dir, broker).lock("STALE-1", "Front door", 6).clock(clock, Duration.ofMinutes(30)).start();
            watcher.awaitLast(topic("STALE-1", "availability"), "online");
            assertThat(watcher.last(topic("STALE-1", "attributes"))).contains("\"stale\":false");

            clock.advance(Duration.ofHours(2)); // past 3 x 30 min

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(watcher.last(topic("STALE-1", "availability"))).isEqualTo("offline");
                assertThat(watcher.last(topic("STALE-1", "attributes"))).contains("\"stale\":true");
            });
            assertThat(watcher.last(topic("STALE-1", "state"))).as("the last known position stays").isEqualTo("LOCKED");
        }
    }
}
