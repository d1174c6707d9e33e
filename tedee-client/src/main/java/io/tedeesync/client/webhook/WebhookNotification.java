package io.tedeesync.client.webhook;

import java.time.Instant;

/**
 * One webhook Tedee POSTs to an integration (OAuth integrations only), parsed by {@link Webhooks#parse}.
 * Tedee sends one per connected user ({@link #userIdentity()}), with identical data. Webhooks carry no
 * signature: the receiving URL must carry a secret.
 */
public sealed interface WebhookNotification
        permits LockStatusChanged, DeviceConnectionChanged, DeviceBatteryLevelChanged, DeviceSettingsChanged,
        BellButtonPressed, UnknownWebhook {

    /** The event name as sent, e.g. {@code lock-status-changed}. */
    String event();

    /** When Tedee sent it; null when absent. */
    Instant timestamp();

    /** The receiving user; routes the webhook to the right account. Null when absent. */
    String userIdentity();

    /** The device (lock) id. */
    long deviceId();

    /** When the change happened on the device; null when absent. */
    Instant eventTime();
}
