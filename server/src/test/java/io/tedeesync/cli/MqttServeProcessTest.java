package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.mqtt.MosquittoBroker;
import io.tedeesync.mqtt.TopicWatcher;
import io.tedeesync.simulator.TedeeSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --mqtt-url} as a real process against a real mosquitto that takes only a user with a password (a
 * password file): its last will says {@code offline} when it is killed with -9, a clean stop says it too, a refused
 * password is one WARN line, and the password never reaches the log, with our DEBUG and HiveMQ's and Netty's TRACE on.
 */
class MqttServeProcessTest {
    private static final String KEY = "pk-mqtt-process-Heron4Okapi";
    private static final String USER = "tedee";
    private static final String PASSWORD = "mq-Narwhal6Quail2Dingo8Tern";

    @TempDir
    Path dir;

    private TedeeSimulator simulator;
    private MosquittoBroker broker;

    @BeforeEach
    void start() {
        simulator = TedeeSimulator.builder().build();
        simulator.addAccount("home", KEY);
        simulator.addLock("home", "PROC-1", "Front door");
        simulator.start(0);
        broker = MosquittoBroker.withUser(dir, USER, PASSWORD);
    }

    @AfterEach
    void stop() {
        broker.close();
        simulator.close();
    }

    @Test
    void killedWithMinusNineTheLastWillSaysOfflineAndThePasswordIsNeverLogged() {
        try (TopicWatcher watcher = TopicWatcher.watch(broker.url(), "tedee-sync/#", USER, PASSWORD);
                TedeeSyncProcess serve = serve(PASSWORD)) {
            serve.awaitServing();
            watcher.awaitLast("tedee-sync/PROC-1/state", "LOCKED");
            watcher.awaitLast("tedee-sync/status", "online");

            serve.kill();

            watcher.awaitLast("tedee-sync/status", "offline");
            assertThat(TopicWatcher.retainedNow(broker.url(), "tedee-sync/status", USER, PASSWORD)).containsValue("offline");
            String output = serve.stdout() + serve.stderr();
            assertThat(output).as("HiveMQ's TRACE was on").contains("com.hivemq");
            assertNoPieceOf(PASSWORD, output);
        }
    }

    @Test
    void aCleanStopSaysOfflineBeforeItDisconnects() {
        try (TopicWatcher watcher = TopicWatcher.watch(broker.url(), "tedee-sync/status", USER, PASSWORD);
                TedeeSyncProcess serve = serve(PASSWORD)) {
            serve.awaitServing();
            watcher.awaitLast("tedee-sync/status", "online");

            assertThat(serve.terminate()).isZero();

            watcher.awaitLast("tedee-sync/status", "offline");
            assertNoPieceOf(PASSWORD, serve.stdout() + serve.stderr());
        }
    }

    @Test
    void aRefusedPasswordIsOneWarnLineAndTheServiceServesAllTheSame() {
        String wrong = "mq-Wrong3Gannet7Ferret1Lemur";
        try (TedeeSyncProcess serve = serve(wrong)) {
            serve.awaitServing();
            // Two more refused attempts after the first (1 s, then 2 s of backoff): at DEBUG, "still no connection".
            await().atMost(Duration.ofSeconds(30)).until(() -> serve.stderr().lines().filter(line -> line.contains("MQTT: still no connection"))
                    .count() >= 2);

            List<String> warnings = serve.stderr().lines().filter(line -> line.contains("MQTT: no connection")).toList();
            assertThat(warnings).as("one WARN for the outage, not one per attempt").singleElement().asString()
                    .contains("WARN").containsIgnoringCase("not_authorized");
            assertThat(serve.isAlive()).isTrue();
            assertNoPieceOf(wrong, serve.stdout() + serve.stderr());
        }
    }

    private TedeeSyncProcess serve(String password) {
        Map<String, String> environment = new HashMap<>(Map.of("TEDEE_PERSONAL_KEY", KEY, "TEDEE_MQTT_PASSWORD", password,
                "TEDEE_SYNC_LOG_LEVEL", "DEBUG", "TEDEE_SYNC_LOG_LEVELS", "com.hivemq=TRACE,io.netty=TRACE"));
        return TedeeSyncProcess.start(dir, environment, "serve", "--api-url", simulator.baseUrl().toString(), "--port", "0",
                "--data", dir.resolve("data").toString(), "--mqtt-url", broker.url().toString(), "--mqtt-username", USER);
    }

    private static void assertNoPieceOf(String secret, String output) {
        for (int start = 0; start + 10 <= secret.length(); start++) {
            assertThat(output).as("a piece of the MQTT password").doesNotContain(secret.substring(start, start + 10));
        }
    }

}
