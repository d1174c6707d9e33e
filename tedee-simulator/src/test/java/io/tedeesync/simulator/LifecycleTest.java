package io.tedeesync.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void startBindsLoopbackOnAnEphemeralPort() {
        try (TedeeSimulator sim = TedeeSimulator.builder().build().start(0)) {
            assertThat(sim.port()).isPositive();
            assertThat(sim.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + sim.port());
        }
    }

    @Test
    void startsOnceAndClosesIdempotently() {
        TedeeSimulator sim = TedeeSimulator.builder().build().start(0);

        assertThatThrownBy(() -> sim.start(0)).isInstanceOf(IllegalStateException.class);
        sim.close();
        sim.close();
        assertThatThrownBy(() -> sim.start(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closedSimulatorNoLongerAnswers() {
        TedeeSimulator sim = TedeeSimulator.builder().build().start(0);
        HttpRequest request = HttpRequest.newBuilder(sim.baseUrl().resolve("/_sim/locks"))
                .timeout(Duration.ofSeconds(2)).build();

        sim.close();

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void builderRefusesNonsense() {
        assertThatThrownBy(() -> TedeeSimulator.builder().requestsPerHour(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TedeeSimulator.builder().operationDelay(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TedeeSimulator.builder().syncFloor(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTickerMovesARealTimeSimulatorByItself() throws Exception {
        // The one place where real time must pass: the ticker runs on real time by design.
        try (TedeeSimulator sim = TedeeSimulator.builder().operationDelay(Duration.ofMillis(50)).build().start(0)) {
            sim.addAccount("alice", "k");
            long id = sim.addLock("alice", "111111-11111", "Door");
            HttpClient client = HttpClient.newHttpClient();
            client.send(HttpRequest.newBuilder(sim.baseUrl().resolve("/api/v37/my/lock/" + id + "/operation/unlock"))
                            .header("Authorization", "PersonalKey k").POST(HttpRequest.BodyPublishers.noBody())
                            .build(), HttpResponse.BodyHandlers.discarding());

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (sim.lock("111111-11111").stateCode() != 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }

            assertThat(sim.lock("111111-11111").stateCode()).isEqualTo(2);
        }
    }
}
