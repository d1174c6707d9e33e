package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet routes of issue 13 ({@code /api/locks}' filters, sort and paging, {@code /api/summary}, a lock's history),
 * called on a real service, each answer held to {@code /openapi.json} by {@link HttpCalls}: with
 * {@link OpenApiContractTest}, every described operation is called somewhere on purpose.
 */
class FleetRoutesContractTest {
    @TempDir
    Path data;
    ServiceHarness harness;

    @BeforeEach
    void start() {
        harness = new ServiceHarness(data).startAndWaitForLocks();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private JsonNode read(HttpResponse<String> response) {
        return harness.read(response);
    }

    private String error(HttpResponse<String> response) {
        return read(response).path("error").asText();
    }

    @Test
    void lockFiltersAndSortAnswerTheArrayAndBadOnesSayWhy() {
        harness.simulator.setLockState("SRV-00002", 2);
        harness.post("/api/locks/SRV-00002/sync", "");

        JsonNode unlocked = read(harness.get("/api/locks?state=UNLOCKED"));
        assertThat(unlocked.isArray()).isTrue();
        assertThat(unlocked).singleElement().satisfies(lock -> assertThat(lock.path("serialNumber").asText()).isEqualTo("SRV-00002"));
        for (String query : new String[] {"state=locked,unlocked", "state=LOCKED&state=UNLOCKED", "account=home", "connected=true",
                "stale=false", "batteryBelow=100", "doorState=NOT_PAIRED,OPENED", "q=srv-0000", "sort=name", "sort=-battery",
                "sort=state", "sort=lastChange"}) {
            HttpResponse<String> answer = harness.get("/api/locks?" + query);
            assertThat(answer.statusCode()).as(query + ": " + answer.body()).isEqualTo(200);
            assertThat(read(answer).isArray()).as(query).isTrue();
        }
        HttpResponse<String> badState = harness.get("/api/locks?state=AJAR");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(error(badState)).isEqualTo("bad_parameter");
        assertThat(read(badState).path("message").asText()).contains("state").contains("AJAR");
        assertThat(error(harness.get("/api/locks?batteryBelow=0"))).isEqualTo("bad_parameter");
        assertThat(error(harness.get("/api/locks?sort=colour"))).isEqualTo("bad_parameter");
        assertThat(error(harness.get("/api/locks?limit=1001"))).isEqualTo("bad_parameter");
        assertThat(error(harness.get("/api/locks?colour=red"))).isEqualTo("unknown_parameter");
    }

    @Test
    void pagesCarryTotalAndACursorUntilTheLastAndBadCursorsAreRefused() {
        JsonNode first = read(harness.get("/api/locks?limit=2&sort=name"));
        assertThat(first.path("locks")).hasSize(2);
        assertThat(first.path("total").asInt()).isEqualTo(3);
        assertThat(first.path("nextCursor").isTextual()).isTrue();

        JsonNode last = read(harness.get("/api/locks?limit=2&cursor=" + first.path("nextCursor").asText()));
        assertThat(last.path("locks")).hasSize(1);
        assertThat(last.has("nextCursor")).as("present, and null").isTrue();
        assertThat(last.path("nextCursor").isNull()).isTrue();

        assertThat(harness.get("/api/locks?cursor=!!!").statusCode()).isEqualTo(400);
        assertThat(error(harness.get("/api/locks?cursor=!!!"))).isEqualTo("bad_cursor");
        assertThat(error(harness.get("/api/locks?cursor=" + first.path("nextCursor").asText() + "&sort=-name"))).isEqualTo("bad_cursor");
        String cursor = first.path("nextCursor").asText();
        harness.clock.advance(Duration.ofMinutes(11));
        HttpResponse<String> expired = harness.get("/api/locks?cursor=" + cursor);
        assertThat(expired.statusCode()).as(expired.body()).isEqualTo(410);
        assertThat(error(expired)).isEqualTo("cursor_expired");
    }

    @Test
    void lockViewsTheSummaryAndAHistoryCarryAnEtagAnd304WhileNothingChanged() {
        // A history up to now ends at the request's now, so only a range in the past answers the same bytes again.
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (String path : new String[] {"/api/locks", "/api/locks?limit=2", "/api/locks/SRV-00001", "/api/summary",
                "/api/locks/SRV-00001/history?from=" + hourAgo.minus(Duration.ofHours(1)) + "&to=" + hourAgo}) {
            // A sync between the two requests changes syncedAt, hence the tag: asked again until two agree.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> answer = harness.get(path);
                assertThat(answer.statusCode()).as(path).isEqualTo(200);
                HttpResponse<String> unchanged = harness.get(path, "If-None-Match", answer.headers().firstValue("ETag").orElseThrow());
                assertThat(unchanged.statusCode()).as(path).isEqualTo(304);
                assertThat(unchanged.body()).isEmpty();
            });
        }
        assertThat(read(harness.get("/api/locks/SRV-00001")).has("nextSyncAllowedAt")).isTrue();
        assertThat(read(harness.get("/api/config")).path("lowBatteryBelow").asInt()).isEqualTo(20);
    }

    @Test
    void theSummaryCountsEveryStateAndTakesAThreshold() {
        JsonNode summary = read(harness.get("/api/summary"));
        assertThat(summary.path("lowBatteryBelow").asInt()).isEqualTo(20);
        assertThat(summary.path("total").path("locks").asInt()).isEqualTo(3);
        assertThat(summary.path("total").path("states").path("LOCKED").asInt()).isEqualTo(3);
        assertThat(summary.path("accounts")).singleElement().satisfies(account -> assertThat(account.path("account").asText()).isEqualTo("home"));

        JsonNode higher = read(harness.get("/api/summary?batteryBelow=95"));
        assertThat(higher.path("lowBatteryBelow").asInt()).isEqualTo(95);
        assertThat(higher.path("total").path("lowBattery").asInt()).as("the simulator's locks are at 90 %").isEqualTo(3);
        assertThat(error(harness.get("/api/summary?batteryBelow=101"))).isEqualTo("bad_parameter");
        assertThat(error(harness.get("/api/summary?state=LOCKED"))).isEqualTo("unknown_parameter");
    }

    @Test
    void aLocksHistoryOverARangeAndItsErrors() {
        harness.simulator.setLockState("SRV-00001", 2);
        harness.post("/api/locks/SRV-00001/sync", "");
        Instant now = Instant.now();

        JsonNode history = read(harness.get("/api/locks/SRV-00001/history"));
        assertThat(history.path("serialNumber").asText()).isEqualTo("SRV-00001");
        assertThat(history.path("states")).isNotEmpty();
        assertThat(history.path("events")).isNotEmpty();
        HttpResponse<String> ranged = harness.get("/api/locks/SRV-00001/history?from=" + now.minus(Duration.ofDays(7)) + "&to="
                + now.plusSeconds(60));
        assertThat(ranged.statusCode()).as(ranged.body()).isEqualTo(200);
        assertThat(error(harness.get("/api/locks/SRV-00001/history?from=" + now + "&to=" + now.minusSeconds(60))))
                .isEqualTo("bad_parameter");
        assertThat(error(harness.get("/api/locks/SRV-00001/history?from=" + now.minus(Duration.ofDays(40)) + "&to=" + now)))
                .isEqualTo("bad_parameter");
        assertThat(error(harness.get("/api/locks/SRV-00001/history?from=yesterday"))).isEqualTo("bad_parameter");
        assertThat(error(harness.get("/api/locks/SRV-00001/history?colour=red"))).isEqualTo("unknown_parameter");
        assertThat(harness.get("/api/locks/NOPE/history").statusCode()).isEqualTo(404);
    }
}
