package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.Harness.BOB_KEY;
import static io.tedeesync.simulator.LockPayloadTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultTest {

    private Harness harness;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        harness.sim.addLock("alice", "111111-11111", "Front door");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void serverErrorAnswersAnEnvelopeForTheNextRequestsOnly() {
        harness.sim.injectFault(Fault.serverError(502), 2);

        assertError(harness.get("/api/v37/my/lock", ALICE_KEY), 502);
        assertError(harness.get("/api/v37/my/lock/sync", ALICE_KEY), 502);
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
    }

    @Test
    void malformedBodyIsA200ThatIsNotJson() {
        harness.sim.injectFault(Fault.malformedBody(), 1);

        Reply reply = harness.get("/api/v37/my/lock", ALICE_KEY);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).startsWith("{");
        assertThat(reply.json()).isNull();
    }

    @Test
    void droppedGetIsAnIOExceptionOnceTheJdkClientsOwnRetryIsDroppedToo() {
        harness.sim.injectFault(Fault.dropConnection(), 2);
        HttpClient fresh = HttpClient.newHttpClient();

        assertThatThrownBy(() -> fresh.send(harness.request("/api/v37/my/lock")
                        .header("Authorization", "PersonalKey " + ALICE_KEY).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        assertThat(harness.sim.requests()).extracting(RecordedRequest::status).containsExactly(0, 0);
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
    }

    @Test
    void singleDroppedGetIsHealedByTheJdkClientsSilentRetry() {
        harness.sim.injectFault(Fault.dropConnection(), 1);

        Reply reply = harness.get("/api/v37/my/lock", ALICE_KEY);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(harness.sim.requests()).extracting(RecordedRequest::status).containsExactly(0, 200);
    }

    @Test
    void droppedPostIsAnIOExceptionAtOnce() {
        harness.sim.setLockState("111111-11111", 2);
        harness.sim.injectFault(Fault.dropConnection(), 1);

        assertThatThrownBy(() -> harness.http.send(harness.request("/api/v37/my/lock/1000/operation/lock")
                        .header("Authorization", "PersonalKey " + ALICE_KEY)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        assertThat(harness.sim.requests()).extracting(RecordedRequest::status).containsExactly(0);
        assertThat(harness.sim.lock("111111-11111").stateCode()).isEqualTo(2);
    }

    @Test
    void slowFaultWaitsInRealTimeSoAClientTimeoutFires() {
        harness.sim.injectFault(Fault.slow(Duration.ofSeconds(5)), 1);

        assertThatThrownBy(() -> harness.http.send(harness.request("/api/v37/my/lock")
                        .timeout(Duration.ofMillis(200))
                        .header("Authorization", "PersonalKey " + ALICE_KEY).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
    }

    @Test
    void slowFaultAnswersNormallyOnceItHasWaited() {
        harness.sim.injectFault(Fault.slow(Duration.ofMillis(300)), 1);
        long started = System.nanoTime();

        Reply reply = harness.get("/api/v37/my/lock", ALICE_KEY);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result()).hasSize(1);
    }

    @Test
    void rateLimitedFaultIsA429WithItsRetryAfter() {
        harness.sim.injectFault(Fault.rateLimited(Duration.ofSeconds(42)), 1);

        Reply reply = harness.get("/api/v37/my/lock", ALICE_KEY);

        assertError(reply, 429);
        assertThat(reply.headers().firstValue("Retry-After")).hasValue("42");
    }

    @Test
    void faultAimedAtAnAccountLeavesOthersAlone() {
        harness.sim.injectFault(Fault.serverError(500), 1, "bob");

        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
        assertError(harness.get("/api/v37/my/lock", BOB_KEY), 500);
        assertThat(harness.get("/api/v37/my/lock", BOB_KEY).status()).isEqualTo(200);
    }

    @Test
    void faultAimedAtAnEndpointLeavesTheOthersAlone() {
        long id = harness.sim.lock("111111-11111").id();
        harness.sim.injectFault(Fault.aimedAt("GET", "/my/lock/{id}", Fault.serverError(500)), 2);

        assertThat(harness.get("/api/v37/my/lock/sync", ALICE_KEY).status()).isEqualTo(200);
        assertError(harness.get("/api/v37/my/lock/" + id, ALICE_KEY), 500);
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
        assertError(harness.get("/api/v37/my/lock/" + id, ALICE_KEY), 500);
        assertThat(harness.get("/api/v37/my/lock/" + id, ALICE_KEY).status()).isEqualTo(200);
    }

    @Test
    void faultsPlayInTheOrderTheyWereInjected() {
        harness.sim.injectFault(Fault.serverError(500), 1);
        harness.sim.injectFault(Fault.serverError(503), 1);

        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(500);
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(503);
    }

    @Test
    void faultsSkipRefusedRequestsTokenRequestsAndControl() {
        OAuthTokens tokens = harness.sim.issueTokens("alice");
        harness.sim.injectFault(Fault.serverError(500), 1);

        assertThat(harness.get("/api/v37/my/lock", "wrong").status()).isEqualTo(401);
        assertThat(harness.postForm("/oauth2/v2.0/token", "grant_type=refresh_token&refresh_token="
                + java.net.URLEncoder.encode(tokens.refreshToken(), java.nio.charset.StandardCharsets.UTF_8))
                .status()).isEqualTo(200);
        assertThat(harness.getAnonymous("/_sim/locks").status()).isEqualTo(200);
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(500);
    }

    @Test
    void faultsRefuseNonsense() {
        assertThatThrownBy(() -> Fault.serverError(404)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.sim.injectFault(Fault.malformedBody(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.sim.injectFault(Fault.malformedBody(), 1, "nobody"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
