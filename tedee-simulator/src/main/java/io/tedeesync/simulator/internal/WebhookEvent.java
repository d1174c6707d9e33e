package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A change worth a webhook (webhooks/*.rst), with the data each event carries. Immutable.
 */
sealed interface WebhookEvent {

    /** The wire event name. */
    String name();

    /** Writes the event's {@code data} object. */
    void writeData(ObjectNode data);

    record LockStatusChanged(long deviceId, int deviceType, Instant eventTime, int state, int doorState)
            implements WebhookEvent {
        @Override
        public String name() {
            return "lock-status-changed";
        }

        @Override
        public void writeData(ObjectNode data) {
            data.put("deviceId", deviceId).put("deviceType", deviceType).put("doorState", doorState)
                    .put("eventTime", WireTime.utc(eventTime)).put("state", state);
        }
    }

    record ConnectionChanged(long deviceId, int deviceType, Instant eventTime, boolean connected)
            implements WebhookEvent {
        @Override
        public String name() {
            return "device-connection-changed";
        }

        @Override
        public void writeData(ObjectNode data) {
            data.put("deviceId", deviceId).put("deviceType", deviceType)
                    .put("eventTime", WireTime.utc(eventTime)).put("isConnected", connected);
        }
    }

    record BatteryLevelChanged(long deviceId, int deviceType, Instant eventTime, int batteryLevel)
            implements WebhookEvent {
        @Override
        public String name() {
            return "device-battery-level-changed";
        }

        @Override
        public void writeData(ObjectNode data) {
            data.put("deviceId", deviceId).put("deviceType", deviceType)
                    .put("eventTime", WireTime.utc(eventTime)).put("batteryLevel", batteryLevel);
        }
    }

    record SettingsChanged(long deviceId, int deviceType, Instant eventTime, String deviceName, int revision)
            implements WebhookEvent {
        @Override
        public String name() {
            return "device-settings-changed";
        }

        @Override
        public void writeData(ObjectNode data) {
            data.put("deviceId", deviceId).put("deviceType", deviceType)
                    .put("eventTime", WireTime.utc(eventTime)).put("name", deviceName).put("revision", revision);
        }
    }

    /** The docs' sample writes this event's times without a zone and with 7 fraction digits; so do we. */
    record BellPressed(long deviceId, Instant eventTime) implements WebhookEvent {
        @Override
        public String name() {
            return "bell-button-pressed";
        }

        @Override
        public void writeData(ObjectNode data) {
            data.put("deviceId", deviceId).put("eventTime", WireTime.localTicks(eventTime));
        }
    }
}
