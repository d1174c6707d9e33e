package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.simulator.TedeeSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code serve} logs as a real process, configured by the production logging set-up ({@code LogSetup}): by
 * default the service's own lines (one per account at start, one per real change) and the libraries'
 * warnings only. It used to log nothing but warnings, so the README's promise was not kept.
 */
class ServeLogTest {
    private static final String KEY = "log-test-key";
    private static final String SECRET = "log-test-webhook-secret";
    /** Loggers of libraries that speak at INFO when let: HikariCP, Flyway, Javalin, Jetty. */
    private static final List<String> LIBRARY_LOGGERS = List.of("HikariDataSource", "FlywayExecutor", "DbMigrate", "Javalin", "Server");

    @TempDir
    Path dir;

    private TedeeSimulator simulator;

    @BeforeEach
    void simulator() {
        simulator = TedeeSimulator.builder().build();
        simulator.addAccount("home", KEY);
        simulator.addLock("home", "LOG-1", "Front door");
        simulator.addLock("home", "LOG-2", "Back door");
        simulator.setLockState("LOG-1", 6);
        simulator.setDoorState("LOG-1", 3);
        simulator.start(0);
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    private TedeeSyncProcess serve(Map<String, String> environment) {
        Map<String, String> withKey = new java.util.HashMap<>(environment);
        withKey.put("TEDEE_PERSONAL_KEY", KEY);
        return TedeeSyncProcess.start(dir, withKey, "serve", "--api-url", simulator.baseUrl().toString(), "--port", "0",
                "--data", dir.resolve("data").toString(), "--webhook-secret", SECRET);
    }

    @Test
    void byDefaultServeLogsOneLinePerAccountAtStartAndOnePerRealChangeAndNoLibraryChatter() throws Exception {
        try (TedeeSyncProcess serve = serve(Map.of())) {
            URI url = serve.awaitServing();
            serve.awaitStderr("account default: 2 lock(s) mirrored");

            int status = postWebhook(url, simulator.lock("LOG-1").id(), 2);
            serve.awaitStderr("default LOG-1: LOCKED -> UNLOCKED");
            assertThat(serve.terminate()).isZero();

            List<String> lines = serve.stderr().lines().toList();
            assertThat(status).isEqualTo(200);
            assertThat(lines).as(serve.toString())
                    .anyMatch(line -> line.contains("INFO") && line.contains("account default: 0 lock(s) known from the store"))
                    .anyMatch(line -> line.contains("INFO") && line.contains("account default: 2 lock(s) mirrored"))
                    .anyMatch(line -> line.contains("INFO") && line.contains("default LOG-1: LOCKED -> UNLOCKED"));
            assertThat(lines).as("one line for the one change").filteredOn(line -> line.contains("LOG-1:")).hasSize(1);
            assertThat(lines).as(serve.toString()).noneMatch(line -> LIBRARY_LOGGERS.stream().anyMatch(logger -> line.contains(" " + logger + " - ")));
        }
    }

    @Test
    void ourLevelAndALibraryLevelAskedForByNameAreSetApart() {
        try (TedeeSyncProcess serve = serve(Map.of("TEDEE_SYNC_LOG_LEVEL", "WARN", "TEDEE_SYNC_LOG_LEVELS", "com.zaxxer.hikari=INFO, nonsense"))) {
            serve.awaitServing();
            serve.awaitStderr("HikariDataSource - tedee-sync-sqlite - Start completed");
            assertThat(serve.terminate()).isZero();

            assertThat(serve.stderr()).as(serve.toString())
                    .doesNotContain("lock(s) known from the store")
                    .doesNotContain("FlywayExecutor")
                    .contains("'nonsense' is not logger=LEVEL");
        }
    }

    private static int postWebhook(URI service, long deviceId, int state) throws Exception {
        String body = "{\"event\":\"lock-status-changed\",\"timestamp\":\"" + Instant.now() + "\",\"data\":{\"deviceId\":" + deviceId
                + ",\"deviceType\":2,\"doorState\":3,\"eventTime\":\"" + Instant.now() + "\",\"state\":" + state + "}}";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.resolve("/webhooks/tedee/" + SECRET))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
