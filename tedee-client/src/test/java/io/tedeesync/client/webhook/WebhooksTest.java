package io.tedeesync.client.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

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
}
