package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.Harness.BOB_KEY;
import static io.tedeesync.simulator.LockPayloadTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The faults an engine's tests need for bad answers: a raw Retry-After, and one bad element in a list. */
class BadAnswerFaultTest {

    private Harness harness;
    private long frontDoor;
    private long backDoor;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        frontDoor = harness.sim.addLock("alice", "111111-11111", "Front door");
        backDoor = harness.sim.addLock("alice", "222222-22222", "Back door");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "1.5", ""})
    void rateLimitedRetryAfterSendsTheHeaderExactlyAsGiven(String header) {
        harness.sim.injectFault(Fault.rateLimitedRetryAfter(header), 1);

        Reply reply = harness.get("/api/v37/my/lock/sync", ALICE_KEY);

        assertError(reply, 429);
        assertThat(reply.headers().firstValue("Retry-After").orElse("")).isEqualTo(header);
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
    }

    @Test
    void rateLimitedWithoutRetryAfterSendsNoHeader() {
        harness.sim.injectFault(Fault.rateLimitedWithoutRetryAfter(), 1);

        Reply reply = harness.get("/api/v37/my/lock/sync", ALICE_KEY);

        assertError(reply, 429);
        assertThat(reply.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void impossibleDateSpoilsOnlyTheFirstConnectedLockOfTheAnswer() {
        harness.sim.disconnect("111111-11111");
        JsonNode clean = harness.get("/api/v37/my/lock/sync", ALICE_KEY).result();
        harness.passes(java.time.Duration.ofSeconds(10));
        harness.sim.injectFault(Fault.badElement(Fault.Defect.IMPOSSIBLE_DATE), 1);

        JsonNode spoiled = harness.get("/api/v37/my/lock/sync", ALICE_KEY).result();

        assertThat(spoiled.get(1).get("deviceState").get("lastStateChangedDate").asText()).isEqualTo("2026-02-30T10:00:00Z");
        ((ObjectNode) spoiled.get(1).get("deviceState")).set("lastStateChangedDate",
                clean.get(1).get("deviceState").get("lastStateChangedDate"));
        assertThat(spoiled).as("everything else is the correct answer").isEqualTo(clean);
    }

    @Test
    void wrongTypeInGetAllOfAnOldVersionSpoilsTheFirstLock() {
        JsonNode clean = harness.get("/api/v1.32/my/lock", ALICE_KEY).result();
        harness.sim.injectFault(Fault.badElement(Fault.Defect.WRONG_TYPE), 1);

        JsonNode spoiled = harness.get("/api/v1.32/my/lock", ALICE_KEY).result();

        assertThat(spoiled.get(0).get("isConnected").asText()).isEqualTo("yes");
        assertThat(spoiled.get(0).get("isConnected").isTextual()).isTrue();
        ((ObjectNode) spoiled.get(0)).put("isConnected", true);
        assertThat(spoiled).isEqualTo(clean);
    }

    @Test
    void aBadElementAimedAtALockWaitsForAListAnswerThatHasIt() {
        harness.sim.injectFault(Fault.badElement(Fault.Defect.IMPOSSIBLE_DATE, backDoor), 1);

        JsonNode single = harness.get("/api/v37/my/lock/" + backDoor + "/sync", ALICE_KEY).result();
        JsonNode other = harness.get("/api/v37/my/lock/sync?id=" + frontDoor, ALICE_KEY).result();
        JsonNode pageWithoutIt = harness.get("/api/v37/my/lock?Page=1&ItemsPerPage=1", ALICE_KEY).result();
        JsonNode spoiled = harness.get("/api/v37/my/lock?Page=2&ItemsPerPage=1", ALICE_KEY).result();
        JsonNode after = harness.get("/api/v37/my/lock?Page=2&ItemsPerPage=1", ALICE_KEY).result();

        assertThat(single.get("deviceState").get("lastStateChangedDate").asText()).isNotEqualTo("2026-02-30T10:00:00Z");
        assertThat(other.get(0).get("deviceState").get("lastStateChangedDate").asText()).isNotEqualTo("2026-02-30T10:00:00Z");
        assertThat(pageWithoutIt.get(0).get("deviceState").get("lastStateChangedDate").asText()).isNotEqualTo("2026-02-30T10:00:00Z");
        assertThat(spoiled.get(0).get("id").asLong()).isEqualTo(backDoor);
        assertThat(spoiled.get(0).get("deviceState").get("lastStateChangedDate").asText()).isEqualTo("2026-02-30T10:00:00Z");
        assertThat(after.get(0).get("deviceState").get("lastStateChangedDate").asText()).as("used up").isNotEqualTo("2026-02-30T10:00:00Z");
    }

    @Test
    void anImpossibleDateWaitsWhileItsLockIsOffline() {
        harness.sim.disconnect("222222-22222");
        harness.sim.injectFault(Fault.badElement(Fault.Defect.IMPOSSIBLE_DATE, backDoor), 1);

        JsonNode offline = harness.get("/api/v37/my/lock/sync", ALICE_KEY).result();
        harness.sim.reconnect("222222-22222");
        harness.passes(java.time.Duration.ofSeconds(10));
        JsonNode online = harness.get("/api/v37/my/lock/sync", ALICE_KEY).result();

        assertThat(offline.get(1).get("deviceState").isNull()).isTrue();
        assertThat(online.get(1).get("deviceState").get("lastStateChangedDate").asText()).isEqualTo("2026-02-30T10:00:00Z");
    }

    @Test
    void aBadElementPlaysOnTheNextTimesListAnswersAndLetsOtherFaultsPass() {
        harness.sim.injectFault(Fault.badElement(Fault.Defect.WRONG_TYPE), 2);
        harness.sim.injectFault(Fault.serverError(503), 1);

        assertError(harness.get("/api/v37/my/lock/sync", ALICE_KEY), 503);
        assertThat(harness.get("/api/v37/my/lock/sync", ALICE_KEY).result().get(0).get("isConnected").asText()).isEqualTo("yes");
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0).get("isConnected").asText()).isEqualTo("yes");
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0).get("isConnected").isBoolean()).isTrue();
    }

    @Test
    void aBadElementAimedAtAnAccountLeavesOthersAlone() {
        harness.sim.shareLock("111111-11111", "bob");
        harness.sim.injectFault(Fault.badElement(Fault.Defect.WRONG_TYPE), 1, "alice");

        assertThat(harness.get("/api/v37/my/lock", BOB_KEY).result().get(0).get("isConnected").isBoolean()).isTrue();
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0).get("isConnected").asText()).isEqualTo("yes");
    }

    @Test
    void theControlApiInjectsBothFaults() {
        assertThat(harness.postAnonymous("/_sim/faults?type=rateLimitedRaw&retryAfter="
                + URLEncoder.encode("soon", StandardCharsets.UTF_8)).status()).isEqualTo(200);
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).headers().firstValue("Retry-After")).hasValue("soon");
        harness.postAnonymous("/_sim/faults?type=rateLimitedRaw");
        Reply withoutHeader = harness.get("/api/v37/my/lock", ALICE_KEY);
        assertThat(withoutHeader.status()).isEqualTo(429);
        assertThat(withoutHeader.headers().firstValue("Retry-After")).isEmpty();

        harness.postAnonymous("/_sim/faults?type=badElement&defect=impossibleDate&lockId=" + frontDoor);
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0).get("deviceState").get("lastStateChangedDate")
                .asText()).isEqualTo("2026-02-30T10:00:00Z");
        assertThat(harness.postAnonymous("/_sim/faults?type=badElement&defect=late").status()).isEqualTo(400);
        assertThat(harness.postAnonymous("/_sim/faults?type=badElement&defect=wrongType&lockId=x").status()).isEqualTo(400);
    }

    @Test
    void faultsRefuseWhatCannotBeSent() {
        assertThatThrownBy(() -> Fault.rateLimitedRetryAfter("10\r\nSet-Cookie: x=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.rateLimitedRetryAfter(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Fault.badElement(null)).isInstanceOf(NullPointerException.class);
    }
}
