package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A 429 always pauses the whole account: at least the backoff, growing while 429s follow each other. */
class RateLimitRulesTest {
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = {"0", "-5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", ""})
    void aRetryAfterThatSaysNowWaitsAtLeastTheBackoffFloorInsteadOfLooping(String retryAfter) {
        harness.account("home", "key-home", 2);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.injectFault(retryAfter.isEmpty() ? Fault.rateLimitedWithoutRetryAfter() : Fault.rateLimitedRetryAfter(retryAfter), 3);

        harness.advance(Duration.ofMinutes(6)); // unreadable or absent: the client's 60 s default

        List<Instant> limited = harness.requests("home").stream().filter(r -> r.status() == 429).map(RecordedRequest::at).toList();
        assertThat(limited).hasSize(3);
        Duration firstGap = Duration.between(limited.get(0), limited.get(1));
        Duration secondGap = Duration.between(limited.get(1), limited.get(2));
        assertThat(firstGap).as("the backoff floor").isGreaterThanOrEqualTo(SyncSettings.defaults().backoffBase());
        assertThat(secondGap).as("a 429 counts as a failure: the second wait is at least twice the base")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        RecordedRequest after = harness.requests("home").stream().filter(r -> r.at().isAfter(limited.get(2))).findFirst().orElseThrow();
        assertThat(after.status()).isEqualTo(200);
        assertThat(harness.engine.accounts().get(0).health()).isEqualTo(AccountHealth.OK);
        assertThat(harness.events(AccountEvent.AccountDegraded.class)).hasSize(1);
    }
}
