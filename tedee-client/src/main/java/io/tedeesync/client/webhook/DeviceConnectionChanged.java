package io.tedeesync.client.webhook;

import java.time.Instant;

/** device-connection-changed: the device went on- or offline. */
public record DeviceConnectionChanged(String event, Instant timestamp, String userIdentity, long deviceId, Instant eventTime, int deviceTypeCode, boolean connected) implements WebhookNotification {
}
