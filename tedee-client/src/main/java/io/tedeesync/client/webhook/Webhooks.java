package io.tedeesync.client.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.internal.Timestamps;
import java.io.IOException;
import java.time.Instant;

/** Parses Tedee webhook bodies (the five documented events; anything else becomes {@link UnknownWebhook}). Stateless. */
public final class Webhooks {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Webhooks() {
    }

    /**
     * @throws MalformedWebhookException when the body is not JSON, has no {@code event}, no
     *         {@code data.deviceId}, or a documented event lacks its fields
     */
    public static WebhookNotification parse(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedWebhookException("the webhook body is not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new MalformedWebhookException("the webhook body could not be read", e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedWebhookException("the webhook body is not a JSON object");
        }
        String event = text(root, "event");
        if (event == null) {
            throw new MalformedWebhookException("the webhook has no event name");
        }
        JsonNode data = root.path("data");
        if (!data.isObject()) {
            throw new MalformedWebhookException("the webhook has no data object");
        }
        long deviceId = requiredLong(data, "deviceId");
        Instant timestamp = time(root, "timestamp");
        String user = text(root, "userIdentity");
        Instant eventTime = time(data, "eventTime");
        int type = data.path("deviceType").asInt(-1);
        switch (event) {
            case "lock-status-changed":
                return new LockStatusChanged(event, timestamp, user, deviceId, eventTime, type,
                        (int) requiredLong(data, "state"), data.path("doorState").asInt(io.tedeesync.client.DeviceState.ABSENT));
            case "device-connection-changed":
                return new DeviceConnectionChanged(event, timestamp, user, deviceId, eventTime, type,
                        requiredBoolean(data, "isConnected"));
            case "device-battery-level-changed":
                return new DeviceBatteryLevelChanged(event, timestamp, user, deviceId, eventTime, type,
                        (int) requiredLong(data, "batteryLevel"));
            case "device-settings-changed":
                return new DeviceSettingsChanged(event, timestamp, user, deviceId, eventTime, type,
                        text(data, "name"), requiredLong(data, "revision"));
            case "bell-button-pressed":
                return new BellButtonPressed(event, timestamp, user, deviceId, eventTime);
            default:
                return new UnknownWebhook(event, timestamp, user, deviceId, eventTime);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    private static long requiredLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new MalformedWebhookException("the webhook's data has no numeric " + field);
        }
        return value.asLong();
    }

    private static boolean requiredBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw new MalformedWebhookException("the webhook's data has no boolean " + field);
        }
        return value.asBoolean();
    }

    private static Instant time(JsonNode node, String field) {
        try {
            return Timestamps.parse(text(node, field));
        } catch (IllegalArgumentException e) {
            throw new MalformedWebhookException("the webhook's " + field + " is not a timestamp", e);
        }
    }
}
