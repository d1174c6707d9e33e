package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.OperationType;
import io.tedeesync.simulator.Fault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code close()}: no call starts after it returns, and everyone waiting is told, whatever phase their call is in. */
class EngineStopTest {
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void accountsWaitingForAPlaceAtStartMakeNoCallOnceTheEngineStopped() throws Exception {
        Silence silence = new Silence();
        harness.time.hangingAt(silence);
        harness.account("second", "key-second", 1);
        harness.account("third", "key-third", 1);
        harness.start(b -> b.startupConcurrency(1)
                .account(AccountConfig.of("slow", io.tedeesync.client.TedeeClient.builder().baseUrl(silence.baseUrl()).personalKey("k")))
                .account(harness.config("second", "key-second"))
                .account(harness.config("third", "key-third")));
        assertThat(harness.requests("second")).as("waiting behind the slow one's place").isEmpty();

        harness.engine.close();
        harness.advance(Duration.ofMinutes(1)); // the place would pass on after 2 s

        assertThat(harness.requests("second")).isEmpty();
        assertThat(harness.requests("third")).isEmpty();
        silence.close();
    }

    @Test
    void anOperationWhoseCommandIsOnItsWayWhenTheEngineStopsIsToldItsOutcomeIsUnknown() {
        List<String> serials = harness.account("home", "key-home", 1);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(2));
        harness.time.hangAfter(Duration.ofMillis(300));
        harness.simulator.injectFault(Fault.aimedAt("POST", "/my/lock/{id}/operation/unlock", Fault.slow(Duration.ofSeconds(20))), 1);

        CompletableFuture<OperationOutcome> unlock = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.time.runDue(); // the command leaves and gets no answer
        assertThat(unlock).isNotDone();
        harness.engine.close();

        assertThat(unlock).isCompleted();
        assertThat(unlock.join().status()).isEqualTo(OperationOutcome.Status.TIMED_OUT);
        assertThat(unlock.join().message()).contains("whether the lock moved is not known");
    }
}
