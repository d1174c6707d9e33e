package io.tedeesync.client.webhook;

import java.time.Instant;

/** device-battery-level-changed. */
public record DeviceBatteryLevelChanged(String event, Instant timestamp, String userIdentity, long deviceId, Instant eventTime, int deviceTypeCode, int batteryLevel) implements WebhookNotification {
}
