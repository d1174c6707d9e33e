package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on {@code POST /webhooks/tedee/{secret}}: each body answers its documented status (400
 * malformed, 413 past 64 KB, 200 ignored for an unknown event type), never a 5xx (Tedee retries 5xx,
 * so a 5xx for a body that can never be read is a retry loop), and the service keeps answering with
 * the locks it knew unchanged.
 */
class WebhookBadInputTest {
    private static final String PATH = "/webhooks/tedee/" + ServiceHarness.WEBHOOK_SECRET;
    /** Lock ids are given out from 1000 in the order added: SRV-00001 is 1000, SRV-00002 is 1001. */
    private static final long KNOWN = 1001;

    @TempDir
    static Path data;

    private static ServiceHarness harness;

    @BeforeAll
    static void start() {
        harness = new ServiceHarness(data).startAndWaitForLocks();
        assertThat(harness.lockId("SRV-00002")).isEqualTo(KNOWN);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static String statusChange(String timestamp, String eventTime, String state) {
        return "{\"event\":\"lock-status-changed\",\"timestamp\":\"" + timestamp + "\",\"userIdentity\":\"u-1\","
                + "\"data\":{\"deviceId\":" + KNOWN + ",\"deviceType\":2,\"doorState\":0,\"eventTime\":\"" + eventTime + "\",\"state\":" + state + "}}";
    }

    private static String connection(String deviceId, String connected) {
        return "{\"event\":\"device-connection-changed\",\"timestamp\":\"2026-03-01T10:00:00Z\","
                + "\"data\":{\"deviceId\":" + deviceId + ",\"deviceType\":2,\"isConnected\":" + connected + "}}";
    }

    private static Arguments malformed(String name, String body) {
        return Arguments.of(name, body.getBytes(StandardCharsets.UTF_8), 400);
    }

    static Stream<Arguments> badBodies() {
        byte[] latin1 = statusChange("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "2")
                .replace("u-1", "K\u00fcche").getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(
                malformed("timestamp on April 31", statusChange("2030-04-31T10:00:00Z", "2030-04-30T10:00:00Z", "2")),
                malformed("eventTime on February 29 of 2027", statusChange("2027-02-28T10:00:00Z", "2027-02-29T10:00:00Z", "2")),
                malformed("eventTime on February 30 without a zone", statusChange("2026-02-27T10:00:00Z", "2026-02-30T10:00:00.1234567", "2")),
                malformed("timestamp that is no date", statusChange("yesterday", "2026-03-01T10:00:00Z", "2")),
                malformed("truncated JSON", statusChange("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "2").substring(0, 60)),
                malformed("not JSON", "event=lock-status-changed&state=2"),
                malformed("an HTML page", "<!DOCTYPE html><html><body>hello</body></html>"),
                malformed("empty body", ""),
                malformed("JSON null", "null"),
                malformed("state as text", statusChange("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "\"six\"")),
                malformed("state as an object", statusChange("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "{}")),
                malformed("state past int", statusChange("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "4294967298")),
                malformed("state 2.5", statusChange("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "2.5")),
                malformed("isConnected: \"yes\"", connection(Long.toString(KNOWN), "\"yes\"")),
                malformed("deviceId: \"abc\"", connection("\"abc\"", "false")),
                malformed("deviceId: 1e400", connection("1e400", "false")),
                malformed("deviceId: 99999999999999999999", connection("99999999999999999999", "false")),
                malformed("deviceId of 2,000 digits", connection("9".repeat(2_000), "false")),
                malformed("data as an array", "{\"event\":\"lock-status-changed\",\"data\":[" + KNOWN + "]}"),
                malformed("userIdentity as an object", statusChange("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "2")
                        .replace("\"u-1\"", "{\"id\":1}")),
                malformed("two states", statusChange("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "2, \"state\": 6")),
                malformed("two events", "{\"event\":\"bell-button-pressed\"," + statusChange("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "2").substring(1)),
                malformed("10,000 [", "[".repeat(10_000)),
                malformed("10,000 [ inside data", "{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":" + KNOWN
                        + ",\"state\":2,\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}}"),
                Arguments.of("Latin-1 bytes", latin1, 400),
                Arguments.of("invalid UTF-8 bytes", new byte[] {'{', '"', 'e', 'v', 'e', 'n', 't', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'}, 400),
                Arguments.of("over 64 KB", ("{\"event\":\"lock-status-changed\",\"pad\":\"" + "a".repeat(70_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8), 413),
                Arguments.of("70,000 [", "[".repeat(70_000).getBytes(StandardCharsets.UTF_8), 413),
                Arguments.of("an unknown event type for a known lock", ("{\"event\":\"door-sensor-moved\",\"timestamp\":\"2026-03-01T10:00:00Z\","
                        + "\"data\":{\"deviceId\":" + KNOWN + ",\"state\":2}}").getBytes(StandardCharsets.UTF_8), 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void everyBadBodyAnswersItsStatusAndChangesNoLock(String name, byte[] body, int status) {
        JsonNode before = locksWithoutSyncTimes();

        HttpResponse<String> response = harness.send(HttpRequest.newBuilder(harness.url(PATH))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode answer = harness.read(response);
        if (status == 400) {
            assertThat(answer.get("error").asText()).isEqualTo("malformed");
            assertThat(answer.get("message").asText()).startsWith("the webhook");
        } else if (status == 200) {
            assertThat(answer.get("outcome").asText()).isEqualTo("unknown_event");
        }
        assertThat(response.body()).doesNotContain(ServiceHarness.WEBHOOK_SECRET);
        assertThat(harness.get("/health").statusCode()).as("the service still answers").isEqualTo(200);
        assertThat(locksWithoutSyncTimes()).as("the locks it knew").isEqualTo(before);
    }

    /** Undocumented codes are kept raw and applied, never a failure (the simulator reports them too, so a sync agrees). */
    @Test
    void undocumentedStateAndDoorCodesAreAppliedAndKeptRaw() {
        harness.simulator.setLockState("SRV-00003", 77);
        harness.simulator.setDoorState("SRV-00003", 42);
        JsonNode others = without(locksWithoutSyncTimes(), "SRV-00003");

        HttpResponse<String> response = harness.post(PATH, "{\"event\":\"lock-status-changed\",\"timestamp\":\"2099-01-01T10:00:00Z\","
                + "\"data\":{\"deviceId\":" + harness.lockId("SRV-00003") + ",\"deviceType\":2,\"state\":77,\"doorState\":42,"
                + "\"eventTime\":\"2099-01-01T10:00:00Z\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode lock = harness.read(harness.get("/api/locks/SRV-00003"));
            assertThat(lock.get("stateCode").asInt()).isEqualTo(77);
            assertThat(lock.get("state").asText()).isEqualTo("UNKNOWN");
        });
        assertThat(without(locksWithoutSyncTimes(), "SRV-00003")).isEqualTo(others);
    }

    private static JsonNode locksWithoutSyncTimes() {
        HttpResponse<String> response = harness.get("/api/locks");
        assertThat(response.statusCode()).isEqualTo(200);
        ArrayNode locks = (ArrayNode) harness.read(response);
        locks.forEach(lock -> ((ObjectNode) lock).remove(java.util.List.of("syncedAt", "stale")));
        assertThat(locks).hasSize(3);
        return locks;
    }

    private static JsonNode without(JsonNode locks, String serial) {
        ArrayNode rest = harness.json.createArrayNode();
        locks.forEach(lock -> {
            if (!lock.get("serialNumber").asText().equals(serial)) {
                rest.add(lock);
            }
        });
        return rest;
    }
}
