package io.tedeesync.benchmarks;

import io.tedeesync.client.DeviceType;
import io.tedeesync.client.Lock;
import io.tedeesync.client.webhook.DeviceBatteryLevelChanged;
import io.tedeesync.client.webhook.LockStatusChanged;
import io.tedeesync.client.webhook.WebhookNotification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A ring of webhooks for random locks of an {@link Account}: three in four {@code lock-status-changed}
 * (the lock moves between locked and unlocked), one in four {@code device-battery-level-changed} (one
 * percent less). Event times rise by {@link #SPACING} and each webhook arrives {@link #DELIVERY} later,
 * so each one, applied in order, is a real change and never stale. Each is kept both parsed and as the
 * JSON body Tedee POSTs (docs: webhooks/lock-status-changed, webhooks/device-battery-level-changed).
 * Cumulative like {@link SyncAnswers}: the first follows the freshly listed account. Immutable.
 */
final class WebhookStream {
    static final Duration SPACING = Duration.ofSeconds(1);
    /**
     * Shorter than {@link #SPACING} on purpose: a lock-status webhook sets the lock's battery time to its
     * arrival time, so a battery webhook that happened before an earlier one arrived would be dropped as
     * stale (reported as a Mirror bug); this spacing keeps the benchmark on the applied path.
     */
    static final Duration DELIVERY = Duration.ofMillis(200);

    private final List<WebhookNotification> notifications;
    private final List<byte[]> bodies;
    private final List<Instant> receivedAt;

    private WebhookStream(List<WebhookNotification> notifications, List<byte[]> bodies, List<Instant> receivedAt) {
        this.notifications = notifications;
        this.bodies = bodies;
        this.receivedAt = receivedAt;
    }

    static WebhookStream generate(Account account, int length, Random random) {
        List<Lock> locks = account.locks();
        int[] state = new int[locks.size()];
        int[] battery = new int[locks.size()];
        for (int index = 0; index < locks.size(); index++) {
            state[index] = locks.get(index).deviceState().stateCode();
            battery[index] = locks.get(index).deviceState().batteryLevel();
        }
        int type = DeviceType.LOCK_PRO.code();
        List<WebhookNotification> notifications = new ArrayList<>(length);
        List<byte[]> bodies = new ArrayList<>(length);
        List<Instant> receivedAt = new ArrayList<>(length);
        for (int sequence = 0; sequence < length; sequence++) {
            int index = random.nextInt(locks.size());
            Lock lock = locks.get(index);
            Instant eventTime = Account.LISTED_AT.plus(SPACING.multipliedBy(sequence + 1L));
            Instant sentAt = eventTime.plusMillis(100);
            String data;
            if (random.nextInt(4) < 3) {
                state[index] = state[index] == Account.LOCKED ? Account.UNLOCKED : Account.LOCKED;
                notifications.add(new LockStatusChanged("lock-status-changed", sentAt, "owner-identity", lock.id(),
                        eventTime, type, state[index], Account.CLOSED));
                data = ",\"state\":" + state[index] + ",\"doorState\":" + Account.CLOSED;
            } else {
                battery[index] = battery[index] > 1 ? battery[index] - 1 : 100;
                notifications.add(new DeviceBatteryLevelChanged("device-battery-level-changed", sentAt, "owner-identity",
                        lock.id(), eventTime, type, battery[index]));
                data = ",\"batteryLevel\":" + battery[index];
            }
            WebhookNotification notification = notifications.get(sequence);
            bodies.add(("{\"event\":\"" + notification.event() + "\",\"timestamp\":\"" + Wire.time(sentAt)
                    + "\",\"userIdentity\":\"owner-identity\",\"data\":{\"deviceId\":" + lock.id()
                    + ",\"deviceType\":" + type + ",\"serialNumber\":\"" + lock.serialNumber()
                    + "\",\"eventTime\":\"" + Wire.time(eventTime) + "\"" + data + "}}")
                    .getBytes(StandardCharsets.UTF_8));
            receivedAt.add(eventTime.plus(DELIVERY));
        }
        return new WebhookStream(List.copyOf(notifications), List.copyOf(bodies), List.copyOf(receivedAt));
    }

    int length() {
        return notifications.size();
    }

    WebhookNotification notification(int index) {
        return notifications.get(index);
    }

    byte[] body(int index) {
        return bodies.get(index);
    }

    /** Engine time at which the webhook is merged. */
    Instant receivedAt(int index) {
        return receivedAt.get(index);
    }
}
