package io.tedeesync.client.webhook;

import java.time.Instant;

/** device-settings-changed: the configuration changed; {@code revision} is the new settings version. */
public record DeviceSettingsChanged(String event, Instant timestamp, String userIdentity, long deviceId, Instant eventTime, int deviceTypeCode, String name, long revision) implements WebhookNotification {
}
