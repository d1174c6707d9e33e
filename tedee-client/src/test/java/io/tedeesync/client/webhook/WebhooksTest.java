package io.tedeesync.client.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The docs' webhook samples, and the bodies a webhook endpoint must refuse. */
class WebhooksTest {

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = WebhooksTest.class.getResourceAsStream("/fixtures/webhooks/" + name + ".json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void lockStatusChangedSample() throws IOException {
        LockStatusChanged hook = (LockStatusChanged) Webhooks.parse(sample("lock-status-changed"));

        assertThat(hook.deviceId()).isEqualTo(12345);
        assertThat(hook.userIdentity()).isEqualTo("<user-identity>");
        assertThat(hook.stateCode()).isEqualTo(6);
        assertThat(hook.doorStateCode()).isEqualTo(3);
        assertThat(hook.eventTime()).isEqualTo(Instant.parse("2022-11-09T14:15:28.327Z"));
        assertThat(hook.timestamp()).isEqualTo(Instant.parse("2022-11-09T14:15:30.244Z"));
    }

    @Test
    void theOtherFourSamples() throws IOException {
        assertThat(((DeviceConnectionChanged) Webhooks.parse(sample("device-connection-changed"))).connected()).isTrue();
        assertThat(((DeviceBatteryLevelChanged) Webhooks.parse(sample("device-battery-level-changed"))).batteryLevel()).isEqualTo(80);
        DeviceSettingsChanged settings = (DeviceSettingsChanged) Webhooks.parse(sample("device-settings-changed"));
        assertThat(settings.name()).isEqualTo("Home");
        assertThat(settings.revision()).isEqualTo(12);
        BellButtonPressed bell = (BellButtonPressed) Webhooks.parse(sample("bell-button-pressed"));
        assertThat(bell.eventTime()).as("the bell sample has no zone: read as UTC").isEqualTo(Instant.parse("2024-12-13T07:36:36.692699900Z"));
        assertThat(bell.timestamp()).isEqualTo(Instant.parse("2024-12-13T07:36:36.904941700Z"));
    }

    @Test
    void unknownEventTypesAreKeptAsUnknownNotRefused() {
        WebhookNotification hook = Webhooks.parse("{\"event\":\"door-sensor-moved\",\"data\":{\"deviceId\":5}}".getBytes(StandardCharsets.UTF_8));

        assertThat(hook).isInstanceOf(UnknownWebhook.class);
        assertThat(hook.event()).isEqualTo("door-sensor-moved");
    }

    @Test
    void malformedBodiesAreRefusedClearly() {
        String[] bodies = {
            "not json", "[]", "{\"data\":{\"deviceId\":1}}", "{\"event\":\"lock-status-changed\"}",
            "{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":1}}",
            "{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":\"x\",\"state\":6}}",
            "{\"event\":\"device-connection-changed\",\"data\":{\"deviceId\":1,\"isConnected\":\"yes\"}}",
            "{\"event\":\"bell-button-pressed\",\"data\":{\"deviceId\":1,\"eventTime\":\"noon\"}}"
        };
        for (String body : bodies) {
            assertThatThrownBy(() -> Webhooks.parse(body.getBytes(StandardCharsets.UTF_8))).as(body)
                    .isInstanceOf(MalformedWebhookException.class);
        }
    }

    private static final String STATUS = "{\"event\":\"lock-status-changed\",\"timestamp\":\"%s\",\"data\":{\"deviceId\":1,\"state\":6,\"eventTime\":\"%s\"}}";

    static Stream<Arguments> unreadableBodies() {
        return Stream.of(
                body("timestamp on April 31", String.format(STATUS, "2030-04-31T10:00:00Z", "2030-04-30T10:00:00Z")),
                body("eventTime on February 29 of a common year", String.format(STATUS, "2027-02-28T10:00:00Z", "2027-02-29T10:00:00.123")),
                body("eventTime on June 31 with an offset", String.format(STATUS, "2026-06-30T10:00:00Z", "2026-06-31T10:00:00+02:00")),
                body("timestamp as a number", "{\"event\":\"x\",\"timestamp\":12345,\"data\":{\"deviceId\":1}}"),
                body("deviceId 1e400", "{\"event\":\"x\",\"data\":{\"deviceId\":1e400}}"),
                body("deviceId past long", "{\"event\":\"x\",\"data\":{\"deviceId\":99999999999999999999}}"),
                body("deviceId with a fraction", "{\"event\":\"x\",\"data\":{\"deviceId\":1.5}}"),
                body("a number of 2,000 digits", "{\"event\":\"x\",\"data\":{\"deviceId\":" + "9".repeat(2_000) + "}}"),
                body("state past int", "{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":1,\"state\":4294967302}}"),
                body("state as an object", "{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":1,\"state\":{}}}"),
                body("doorState as text", "{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":1,\"state\":6,\"doorState\":\"closed\"}}"),
                body("deviceType as text", "{\"event\":\"x\",\"data\":{\"deviceId\":1,\"deviceType\":\"lock\"}}"),
                body("userIdentity as an object", "{\"event\":\"x\",\"userIdentity\":{},\"data\":{\"deviceId\":1}}"),
                body("event as a number", "{\"event\":5,\"data\":{\"deviceId\":1}}"),
                body("settings name as an array", "{\"event\":\"device-settings-changed\",\"data\":{\"deviceId\":1,\"revision\":2,\"name\":[]}}"),
                body("battery as text", "{\"event\":\"device-battery-level-changed\",\"data\":{\"deviceId\":1,\"batteryLevel\":\"80\"}}"),
                body("duplicate state", "{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":1,\"state\":6,\"state\":2}}"),
                body("duplicate event", "{\"event\":\"lock-status-changed\",\"event\":\"x\",\"data\":{\"deviceId\":1,\"state\":6}}"),
                body("10,000 nested arrays", "[".repeat(10_000)),
                body("10,000 nested arrays inside data", "{\"event\":\"x\",\"data\":{\"deviceId\":1,\"deep\":" + "[".repeat(10_000) + "]}}"),
                Arguments.of("invalid UTF-8 in a string", new byte[] {'{', '"', 'e', 'v', 'e', 'n', 't', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}),
                Arguments.of("a lone UTF-8 continuation byte", new byte[] {'{', '"', 'e', '"', ':', '"', (byte) 0x80, '"', '}'}),
                body("empty", ""),
                body("truncated", "{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":1,\"sta"),
                body("an HTML page", "<html><body>502 Bad Gateway</body></html>"),
                body("JSON null", "null"),
                body("data as an array", "{\"event\":\"x\",\"data\":[1]}"));
    }

    private static Arguments body(String name, String json) {
        return Arguments.of(name, json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableBodies")
    void everyUnreadableBodyIsAMalformedWebhookAndNothingElse(String name, byte[] body) {
        assertThatThrownBy(() -> Webhooks.parse(body)).isExactlyInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("the webhook");
    }

    /** Webhooks.parse let a DateTimeException out for April 31: the server answered 500 and Tedee retried forever. */
    @Test
    void webhookDatedApril31IsMalformedNotAServerError() {
        byte[] body = String.format(STATUS, "2030-04-31T10:00:00Z", "2030-04-30T10:00:00Z").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Webhooks.parse(body)).isExactlyInstanceOf(MalformedWebhookException.class)
                .hasMessageContaining("timestamp").hasMessageContaining("2030-04-31");
    }

    @Test
    void undocumentedCodesAndWholeFloatsAreKept() {
        LockStatusChanged hook = (LockStatusChanged) Webhooks.parse(("{\"event\":\"lock-status-changed\",\"data\":"
                + "{\"deviceId\":7.0,\"deviceType\":99,\"state\":77,\"doorState\":42,\"eventTime\":\"2028-02-29T10:00:00Z\"}}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(hook.deviceId()).isEqualTo(7);
        assertThat(hook.stateCode()).isEqualTo(77);
        assertThat(hook.doorStateCode()).isEqualTo(42);
        assertThat(hook.deviceTypeCode()).isEqualTo(99);
        assertThat(hook.eventTime()).isEqualTo(Instant.parse("2028-02-29T10:00:00Z"));
    }
}
