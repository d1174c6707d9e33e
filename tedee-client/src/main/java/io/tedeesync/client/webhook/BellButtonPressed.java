package io.tedeesync.client.webhook;

import java.time.Instant;

/** bell-button-pressed on a keypad connected to the lock. */
public record BellButtonPressed(String event, Instant timestamp, String userIdentity, long deviceId, Instant eventTime) implements WebhookNotification {
}
