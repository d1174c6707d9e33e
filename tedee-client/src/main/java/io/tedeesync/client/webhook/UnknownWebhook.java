package io.tedeesync.client.webhook;

import java.time.Instant;

/** An event type this library does not know (Tedee adds them): to be ignored and counted, not failed on. */
public record UnknownWebhook(String event, Instant timestamp, String userIdentity, long deviceId, Instant eventTime) implements WebhookNotification {
}
