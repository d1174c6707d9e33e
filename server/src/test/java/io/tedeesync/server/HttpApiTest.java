package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the service over real HTTP, with the simulator behind it. */
class HttpApiTest {
    @TempDir
    Path data;

    private ServiceHarness harness;

    @BeforeEach
    void start() {
        harness = new ServiceHarness(data).startAndWaitForLocks();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void locksAreServedAsViewsWithSyncTimeAndStaleness() {
        HttpResponse<String> response = harness.get("/api/locks");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode locks = harness.read(response);
        assertThat(locks).hasSize(3);
        JsonNode first = locks.get(0);
        assertThat(first.fieldNames()).toIterable().contains("serialNumber", "id", "name", "type", "state", "stateCode", "doorState",
                "batteryLevel", "isCharging", "isConnected", "revision", "lastStateChangedDate", "syncedAt", "stale");
        assertThat(first.get("state").asText()).isEqualTo("LOCKED");
        assertThat(first.get("stale").asBoolean()).isFalse();
        assertThat(first.has("account")).as("one account: no account field").isFalse();
    }

    @Test
    void oneLockBySerialAndAClearNotFound() {
        assertThat(harness.read(harness.get("/api/locks/SRV-00002")).get("name").asText()).isEqualTo("Door 2");

        HttpResponse<String> missing = harness.get("/api/locks/NOPE");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(harness.read(missing).get("error").asText()).isEqualTo("not_found");
        assertThat(harness.read(missing).get("message").asText()).as("the route's own message, not 'no such route'")
                .isEqualTo("no lock with serial number NOPE");
        assertThat(harness.read(harness.get("/api/nothing-here")).get("message").asText()).isEqualTo("no such route");
    }

    @Test
    void syncNowThenTooSoonWithRetryAfter() {
        harness.simulator.setLockState("SRV-00001", 2);

        HttpResponse<String> first = harness.post("/api/locks/SRV-00001/sync", "");
        HttpResponse<String> second = harness.post("/api/locks/SRV-00001/sync", "");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(harness.read(first).get("state").asText()).isEqualTo("UNLOCKED");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Integer.parseInt(s)).isBetween(1, 10));
        assertThat(harness.read(second).get("error").asText()).isEqualTo("too_soon");
        assertThat(harness.simulator.syncCallsTooSoon()).isZero();
    }

    @Test
    void operationRunsThroughTheEngineToTheFinalState() {
        HttpResponse<String> unlocked = harness.post("/api/locks/SRV-00003/operations/unlock", "");

        assertThat(unlocked.statusCode()).isEqualTo(200);
        assertThat(harness.read(unlocked).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.simulator.lock("SRV-00003").stateCode()).isEqualTo(2);
        assertThat(harness.read(unlocked).path("lock").path("state").asText())
                .as("the lock as synced after the operation, not as it was before").isEqualTo("UNLOCKED");
        assertThat(harness.read(harness.get("/api/locks/SRV-00003")).path("state").asText()).isEqualTo("UNLOCKED");
    }

    @Test
    void operationsThatCannotWorkAreRefusedClearly() {
        HttpResponse<String> wrongState = harness.post("/api/locks/SRV-00001/operations/lock", "");
        HttpResponse<String> wrongOperation = harness.post("/api/locks/SRV-00001/operations/open-sesame", "");
        HttpResponse<String> wrongMode = harness.post("/api/locks/SRV-00001/operations/unlock?mode=sideways", "");
        HttpResponse<String> unknownLock = harness.post("/api/locks/NOPE/operations/unlock", "");

        assertThat(wrongState.statusCode()).isEqualTo(409);
        assertThat(harness.read(wrongState).get("status").asText()).isEqualTo("REJECTED");
        assertThat(wrongOperation.statusCode()).isEqualTo(400);
        assertThat(wrongMode.statusCode()).isEqualTo(400);
        assertThat(unknownLock.statusCode()).isEqualTo(404);
        assertThat(harness.simulator.requests()).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void eventHistoryPagesAndFilters() {
        harness.simulator.setLockState("SRV-00001", 2);
        harness.post("/api/locks/SRV-00001/sync", "");

        JsonNode all = harness.read(harness.get("/api/events?limit=1000"));
        JsonNode one = harness.read(harness.get("/api/events?serialNumber=SRV-00001"));
        long firstId = all.get(0).get("id").asLong();
        JsonNode after = harness.read(harness.get("/api/events?after=" + firstId + "&limit=1"));

        assertThat(all.size()).isGreaterThanOrEqualTo(4);
        assertThat(one).allSatisfy(e -> assertThat(e.get("serialNumber").asText()).isEqualTo("SRV-00001"));
        assertThat(one).anySatisfy(e -> assertThat(e.get("type").asText()).isEqualTo("StateChanged"));
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("id").asLong()).isGreaterThan(firstId);
        assertThat(harness.get("/api/events?limit=0").statusCode()).isEqualTo(400);
        assertThat(harness.get("/api/events?after=abc").statusCode()).isEqualTo(400);
    }

    @Test
    void healthAndMetrics() {
        JsonNode health = harness.read(harness.get("/health"));
        // Per-account series are asked for (the default has totals only: MetricsEndpointTest).
        harness.close();
        harness = new ServiceHarness(data.resolve("per-account")).start(settings -> settings.withMetricsPerAccount(true));
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/api/locks").body().contains("SRV-00003"));
        String metrics = harness.get("/metrics").body();

        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("accounts").get(0).get("name").asText()).isEqualTo("home");
        assertThat(health.get("accounts").get(0).get("locks").asInt()).isEqualTo(3);
        assertThat(metrics).contains("tedee_api_requests_total", "tedee_locks{account=\"home\"} 3.0", "tedee_budget_used_requests",
                "tedee_stale_locks", "tedee_events_total", "tedee_api_request_duration");
    }
}
