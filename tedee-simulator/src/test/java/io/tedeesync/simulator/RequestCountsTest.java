package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The request counters: every request by status and route, beyond what the bounded log keeps. */
class RequestCountsTest {

    @Test
    void countsEveryRequestByStatusAndRouteEvenPastTheLogCapacity() {
        try (Harness harness = Harness.start(builder -> builder.requestLogCapacity(2)).withAliceAndBob()) {
            long id = harness.sim.addLock("alice", "111111-11111", "Front door");
            harness.get("/api/v37/my/lock", ALICE_KEY);
            harness.get("/api/v37/my/lock/sync", ALICE_KEY);
            harness.clock.advance(Duration.ofSeconds(3));
            harness.get("/api/v37/my/lock/" + id + "/sync", ALICE_KEY);
            harness.get("/api/v37/my/lock/sync", "not-a-key");
            harness.get("/api/v37/my/nothing", ALICE_KEY);

            RequestCounts counts = harness.sim.requestCounts();

            assertThat(counts.requests()).isEqualTo(5);
            assertThat(counts.byStatus()).containsExactly(
                    org.assertj.core.api.Assertions.entry(200, 3L), org.assertj.core.api.Assertions.entry(401, 1L),
                    org.assertj.core.api.Assertions.entry(404, 1L));
            assertThat(counts.byRoute()).containsEntry("GET /my/lock", 1L).containsEntry("GET /my/lock/sync", 2L)
                    .containsEntry("GET /my/lock/{id}/sync", 1L).containsEntry("other", 1L);
            assertThat(counts.syncCallsTooSoon()).isEqualTo(1);
            assertThat(counts.withStatus(429)).isZero();
            assertThat(harness.sim.requests()).as("the log keeps the latest two, oldest first")
                    .extracting(RecordedRequest::status).containsExactly(401, 404);
        }
    }

    @Test
    void clearRequestsForgetsTheCountsToo() {
        try (Harness harness = Harness.start().withAliceAndBob()) {
            harness.get("/api/v37/my/lock", ALICE_KEY);
            harness.sim.clearRequests();

            assertThat(harness.sim.requestCounts().requests()).isZero();
            assertThat(harness.sim.requests()).isEmpty();

            harness.get("/api/v37/my/lock", ALICE_KEY);
            assertThat(harness.sim.requestCounts().withStatus(200)).isEqualTo(1);
        }
    }

    @Test
    void aLogWithoutCapacityKeepsNothingButCountsAll() {
        try (Harness harness = Harness.start(builder -> builder.requestLogCapacity(0)).withAliceAndBob()) {
            harness.get("/api/v37/my/lock", ALICE_KEY);

            assertThat(harness.sim.requests()).isEmpty();
            assertThat(harness.sim.requestCounts().requests()).isEqualTo(1);
        }
        assertThatThrownBy(() -> TedeeSimulator.builder().requestLogCapacity(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theControlApiServesTheCountersWithoutCountingItself() {
        try (Harness harness = Harness.start().withAliceAndBob()) {
            harness.get("/api/v37/my/lock", ALICE_KEY);
            harness.get("/api/v37/my/lock", ALICE_KEY);

            JsonNode stats = harness.getAnonymous("/_sim/stats").json();
            JsonNode again = harness.getAnonymous("/_sim/stats").json();

            assertThat(stats.get("requests").asLong()).isEqualTo(2);
            assertThat(stats.get("byStatus").get("200").asLong()).isEqualTo(2);
            assertThat(stats.get("byRoute").get("GET /my/lock").asLong()).isEqualTo(2);
            assertThat(stats.get("syncCallsTooSoon").asLong()).isZero();
            assertThat(again.get("requests").asLong()).as("control requests are not counted").isEqualTo(2);
        }
    }
}
