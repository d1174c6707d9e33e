package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlApiTest {

    private static final String SERIAL = "111111-11111";
    private static final String LOCK = "/_sim/locks/" + SERIAL;

    private Harness harness;
    private long lockId;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        lockId = harness.sim.addLock("alice", SERIAL, "Front door");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void listsTheLocksWithoutAuthentication() {
        Reply reply = harness.getAnonymous("/_sim/locks");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode lock = reply.json().get(0);
        assertThat(lock.get("serialNumber").asText()).isEqualTo(SERIAL);
        assertThat(lock.get("id").asLong()).isEqualTo(lockId);
        assertThat(lock.get("state").asInt()).isEqualTo(6);
        assertThat(lock.get("deviceSettings").get("pullSpringDuration").asInt()).isEqualTo(2);
    }

    @Test
    void stateDoorBatteryAndChargingShowInTheApi() {
        assertThat(harness.postAnonymous(LOCK + "/state?code=2").json().get("state").asInt()).isEqualTo(2);
        harness.postAnonymous(LOCK + "/door?code=3");
        harness.postAnonymous(LOCK + "/battery?level=33");
        harness.postAnonymous(LOCK + "/charging?on=true");

        JsonNode state = harness.get("/api/v37/my/lock/" + lockId + "/sync", ALICE_KEY).result().get("deviceState");
        assertThat(state.get("state").asInt()).isEqualTo(2);
        assertThat(state.get("doorState").asInt()).isEqualTo(3);
        assertThat(state.get("batteryLevel").asInt()).isEqualTo(33);
        assertThat(state.get("isCharging").asBoolean()).isTrue();
    }

    @Test
    void connectionRenameBellAndRemovalWork() {
        WebhookReceiver receiver = new WebhookReceiver();
        try (receiver) {
            String url = URLEncoder.encode(receiver.url().toString(), StandardCharsets.UTF_8);
            assertThat(harness.postAnonymous("/_sim/webhooks?url=" + url).status()).isEqualTo(200);

            assertThat(harness.postAnonymous(LOCK + "/disconnect").json().get("isConnected").asBoolean()).isFalse();
            harness.postAnonymous(LOCK + "/reconnect");
            JsonNode renamed = harness.postAnonymous(LOCK + "/rename?name=Main%20door").json();
            harness.postAnonymous(LOCK + "/bell");
            harness.sim.advance();

            assertThat(renamed.get("name").asText()).isEqualTo("Main door");
            assertThat(renamed.get("revision").asInt()).isEqualTo(2);
            assertThat(receiver.received()).extracting(body -> body.get("event").asText()).containsExactly(
                    "device-connection-changed", "device-connection-changed", "device-settings-changed",
                    "bell-button-pressed");
            assertThat(harness.getAnonymous("/_sim/webhooks").json()).hasSize(4);
        }
        assertThat(harness.postAnonymous(LOCK + "/remove").json().get("present").asBoolean()).isFalse();
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).result()).isEmpty();
    }

    @Test
    void reAddAnswersTheNewId() {
        long newId = harness.postAnonymous(LOCK + "/readd").json().get("id").asLong();

        assertThat(newId).isNotEqualTo(lockId);
        assertThat(LockPayloadTest.idsOf(harness.get("/api/v37/my/lock", ALICE_KEY))).containsExactly(newId);
    }

    @Test
    void injectsFaults() {
        assertThat(harness.postAnonymous("/_sim/faults?type=serverError&status=502&times=1").status())
                .isEqualTo(200);
        harness.postAnonymous("/_sim/faults?type=rateLimited&seconds=9");

        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(502);
        Reply limited = harness.get("/api/v37/my/lock", ALICE_KEY);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("9");
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);
        assertThat(harness.postAnonymous("/_sim/faults?type=meteor").status()).isEqualTo(400);
    }

    @Test
    void listsApiRequestsButNotControlOnes() {
        harness.get("/api/v37/my/lock/sync", ALICE_KEY);
        harness.getAnonymous("/_sim/locks");

        JsonNode requests = harness.getAnonymous("/_sim/requests").json();

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).get("path").asText()).isEqualTo("/api/v37/my/lock/sync");
        assertThat(requests.get(0).get("account").asText()).isEqualTo("alice");
        assertThat(requests.get(0).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void startsRandomActivity() {
        harness.postAnonymous("/_sim/activity?seconds=10");
        SimLock before = harness.sim.lock(SERIAL);

        harness.passes(java.time.Duration.ofHours(1));

        assertThat(harness.sim.lock(SERIAL)).isNotEqualTo(before);
    }

    @Test
    void unknownSerialIs404AndBadInputIs400() {
        assertThat(harness.postAnonymous("/_sim/locks/000000-00000/state?code=6").status()).isEqualTo(404);
        assertThat(harness.postAnonymous(LOCK + "/state").status()).isEqualTo(400);
        assertThat(harness.postAnonymous(LOCK + "/state?code=six").status()).isEqualTo(400);
        assertThat(harness.postAnonymous(LOCK + "/battery?level=300").status()).isEqualTo(400);
        assertThat(harness.postAnonymous("/_sim/nothing").status()).isEqualTo(404);
        assertThat(harness.getAnonymous(LOCK + "/state").status()).isEqualTo(405);
        assertThat(harness.getAnonymous("/elsewhere").status()).isEqualTo(404);
    }
}
