package io.tedeesync.client.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.internal.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * Parses Tedee webhook bodies (the five documented events; anything else becomes {@link UnknownWebhook}).
 * Stateless and thread-safe.
 *
 * <p>For bad input the only exception is {@link MalformedWebhookException}, whatever is wrong: not JSON,
 * not UTF-8, nested past Jackson's limits, a number past its limits or out of range, a duplicate key, a
 * field of the wrong type, an unreadable or impossible date. A receiver maps that one exception to 400,
 * so Tedee does not retry a body that can never be read (it retries 5xx).
 */
public final class Webhooks {
    /** Duplicate keys make a body ambiguous (which {@code state} is meant?): refused, not guessed. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private Webhooks() {
    }

    /**
     * @throws MalformedWebhookException when the body is not a JSON object, has no {@code event}, no
     *         {@code data.deviceId}, a documented event lacks its fields, or any field has the wrong type
     *         or an unreadable value
     */
    public static WebhookNotification parse(byte[] body) {
        Objects.requireNonNull(body, "body");
        JsonNode root = readTree(body);
        if (root == null || !root.isObject()) {
            throw new MalformedWebhookException("the webhook body is not a JSON object");
        }
        String event = optionalText(root, "event", "");
        if (event == null) {
            throw new MalformedWebhookException("the webhook has no event name");
        }
        JsonNode data = root.path("data");
        if (!data.isObject()) {
            throw new MalformedWebhookException("the webhook has no data object");
        }
        long deviceId = requiredLong(data, "deviceId");
        Instant timestamp = time(root, "timestamp", "");
        String user = optionalText(root, "userIdentity", "");
        Instant eventTime = time(data, "eventTime", "data.");
        int type = optionalInt(data, "deviceType", -1);
        switch (event) {
            case "lock-status-changed":
                return new LockStatusChanged(event, timestamp, user, deviceId, eventTime, type,
                        requiredInt(data, "state"), optionalInt(data, "doorState", DeviceState.ABSENT));
            case "device-connection-changed":
                return new DeviceConnectionChanged(event, timestamp, user, deviceId, eventTime, type,
                        requiredBoolean(data, "isConnected"));
            case "device-battery-level-changed":
                return new DeviceBatteryLevelChanged(event, timestamp, user, deviceId, eventTime, type,
                        requiredInt(data, "batteryLevel"));
            case "device-settings-changed":
                return new DeviceSettingsChanged(event, timestamp, user, deviceId, eventTime, type,
                        optionalText(data, "name", "data."), requiredLong(data, "revision"));
            case "bell-button-pressed":
                return new BellButtonPressed(event, timestamp, user, deviceId, eventTime);
            default:
                return new UnknownWebhook(event, timestamp, user, deviceId, eventTime);
        }
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new MalformedWebhookException("the webhook body is past the parser's limits (nesting or number length)", e);
        } catch (MismatchedInputException e) {
            // The one mismatch a tree read reports: a key given twice in one object.
            throw new MalformedWebhookException("the webhook body has a duplicate key", e);
        } catch (JsonProcessingException e) {
            throw new MalformedWebhookException("the webhook body is not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new MalformedWebhookException("the webhook body could not be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Null when absent, null or blank; refused when present with another type than text. */
    private static String optionalText(JsonNode node, String field, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(prefix + field, value, "text");
        }
        return value.asText().isBlank() ? null : value.asText();
    }

    private static long requiredLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedWebhookException("the webhook's data has no " + field);
        }
        if (!isWholeNumber(value) || !value.canConvertToLong()) {
            throw wrongType("data." + field, value, "a whole number");
        }
        return value.asLong();
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedWebhookException("the webhook's data has no " + field);
        }
        return intValue(field, value);
    }

    private static int optionalInt(JsonNode node, String field, int absent) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? absent : intValue(field, value);
    }

    private static int intValue(String field, JsonNode value) {
        if (!isWholeNumber(value) || !value.canConvertToInt()) {
            throw wrongType("data." + field, value, "a whole number in int range");
        }
        return value.asInt();
    }

    /** 6 and 6.0 are whole numbers; 6.5, "6", Infinity are not. */
    private static boolean isWholeNumber(JsonNode value) {
        if (value.isIntegralNumber()) {
            return true;
        }
        if (!value.isFloatingPointNumber()) {
            return false;
        }
        double number = value.asDouble();
        return !Double.isInfinite(number) && number == Math.rint(number);
    }

    private static boolean requiredBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedWebhookException("the webhook's data has no " + field);
        }
        if (!value.isBoolean()) {
            throw wrongType("data." + field, value, "true or false");
        }
        return value.asBoolean();
    }

    private static Instant time(JsonNode node, String field, String prefix) {
        String text = optionalText(node, field, prefix);
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedWebhookException("the webhook's " + prefix + field + " is not a possible timestamp ('"
                    + abbreviate(text) + "')", e);
        }
    }

    private static MalformedWebhookException wrongType(String field, JsonNode value, String expected) {
        return new MalformedWebhookException("the webhook's " + field + " is " + describe(value) + ", not " + expected);
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "the text '" + abbreviate(value.asText()) + "'";
        }
        if (value.isNumber()) {
            return "the number " + abbreviate(value.asText());
        }
        if (value.isBoolean()) {
            return "the boolean " + value.asText();
        }
        return value.isArray() ? "an array" : value.isObject() ? "an object" : "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
