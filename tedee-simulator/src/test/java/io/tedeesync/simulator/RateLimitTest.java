package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.Harness.BOB_KEY;
import static io.tedeesync.simulator.LockPayloadTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void the701stRequestOfTheHourIs429UntilTheNextWindow() {
        try (Harness harness = Harness.start().withAliceAndBob()) {
            for (int i = 0; i < 700; i++) {
                assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
            }

            Reply refused = harness.get("/api/v37/my/lock", ALICE_KEY);

            assertError(refused, 429);
            // 10:15:00 now, the window ends at 11:00:00.
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("2700");
            harness.clock.set(Instant.parse("2025-03-10T10:59:59Z"));
            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).headers().firstValue("Retry-After")).hasValue("1");
            harness.clock.set(Instant.parse("2025-03-10T11:00:00Z"));
            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void retryAfterRoundsUpToAWholeSecondAndIsNeverZero() {
        try (Harness harness = Harness.start(builder -> builder.requestsPerHour(1)).withAliceAndBob()) {
            harness.clock.set(Instant.parse("2025-03-10T10:59:59.400Z"));
            harness.get("/api/v37/my/lock", ALICE_KEY);

            Reply refused = harness.get("/api/v37/my/lock", ALICE_KEY);

            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        }
    }

    @Test
    void theBudgetIsPerAccount() {
        try (Harness harness = Harness.start(builder -> builder.requestsPerHour(2)).withAliceAndBob()) {
            harness.get("/api/v37/my/lock", ALICE_KEY);
            harness.get("/api/v37/my/lock", ALICE_KEY);

            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(429);
            assertThat(harness.get("/api/v37/my/lock", BOB_KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void unauthorizedRequestsDoNotCount() {
        try (Harness harness = Harness.start(builder -> builder.requestsPerHour(2)).withAliceAndBob()) {
            for (int i = 0; i < 5; i++) {
                assertThat(harness.get("/api/v37/my/lock", "wrong").status()).isEqualTo(401);
            }

            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(429);
        }
    }

    @Test
    void refusedRequestsDoNotEatTheNextWindow() {
        try (Harness harness = Harness.start(builder -> builder.requestsPerHour(2)).withAliceAndBob()) {
            for (int i = 0; i < 10; i++) {
                harness.get("/api/v37/my/lock", ALICE_KEY);
            }
            harness.clock.set(Instant.parse("2025-03-10T11:30:00Z"));

            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(429);
        }
    }

    @Test
    void faultedRequestsCountAgainstTheBudget() {
        try (Harness harness = Harness.start(builder -> builder.requestsPerHour(2)).withAliceAndBob()) {
            harness.sim.injectFault(Fault.serverError(503), 2);

            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(503);
            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(503);
            assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(429);
            assertThat(harness.sim.requests()).extracting(RecordedRequest::status).containsExactly(503, 503, 429);
        }
    }
}
