package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real store outage: another connection holds SQLite's write lock, so the service's writes fail as
 * they would on a busy or broken disk. A 2xx still means "in the store", and the store catches up.
 */
class StoreOutageTest {
    @TempDir
    Path data;

    private ServiceHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    /** Takes SQLite's write lock from outside the service, as another process would. */
    private Connection lockTheStore() throws Exception {
        Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("tedee-sync.db"));
        try (Statement statement = blocker.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
        }
        return blocker;
    }

    @Test
    void aWebhookWhoseWriteFailedGets503AndItsRetryIsStoredAndHealthRecoversOnAQuietSystem() throws Exception {
        harness = new ServiceHarness(data).startAndWaitForLocks();
        String path = "/webhooks/tedee/" + ServiceHarness.WEBHOOK_SECRET;
        String webhook = ServiceHarness.statusChange(harness.lockId("SRV-00002"), 2);

        HttpResponse<String> refused;
        try (Connection blocker = lockTheStore()) {
            refused = harness.post(path, webhook);
            assertThat(harness.read(harness.get("/health")).get("store").get("healthy").asBoolean()).isFalse();
            try (Statement statement = blocker.createStatement()) {
                statement.execute("ROLLBACK");
            }
        }

        assertThat(refused.statusCode()).isEqualTo(503);
        // Nothing else happens: no new webhook, no new change. The kept batch alone must reach the store.
        await().atMost(Duration.ofSeconds(40)).until(() -> harness.get("/api/events?serialNumber=SRV-00002").body().contains("\"WEBHOOK\""));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.get("/health").statusCode() == 200
                && harness.read(harness.get("/health")).get("store").get("healthy").asBoolean());
        HttpResponse<String> retried = harness.post(path, webhook); // Tedee retries the 503
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(harness.get("/api/events?serialNumber=SRV-00002").body().split("\"StateChanged\"", -1)).as("stored once").hasSize(2);
    }
}
