package io.tedeesync.client.webhook;

import java.time.Instant;

/** lock-status-changed: the lock reached a new position (never sent for locking, unlocking, pulling). */
public record LockStatusChanged(String event, Instant timestamp, String userIdentity, long deviceId, Instant eventTime, int deviceTypeCode, int stateCode, int doorStateCode) implements WebhookNotification {
}
