package io.tedeesync.client.internal;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Locale;

/**
 * How an unreadable value is told in an {@link io.tedeesync.client.UnreadableEntry}'s reason and in
 * errors: which field, what it held, what belongs there. Values are abbreviated; payloads of the lock
 * endpoints carry no credential, and no header is ever quoted. Stateless.
 */
final class Reasons {
    private static final int MAX_VALUE = 40;

    private Reasons() {
    }

    /** From Jackson's binding failure of {@code element} (field path and target type are in the exception). */
    static String binding(JsonMappingException failure, JsonNode element) {
        StringBuilder path = new StringBuilder();
        JsonNode value = element;
        for (JsonMappingException.Reference reference : failure.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                value = value == null ? null : value.get(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
                value = value == null ? null : value.get(reference.getIndex());
            }
        }
        String field = path.length() == 0 ? "the entry" : path.toString();
        String expected = expected(targetType(failure));
        if (value == null) {
            return field + " could not be read as " + expected;
        }
        if (value.isNumber() && expected.startsWith("a whole number")) {
            return field + " holds " + describe(value) + ", which is not a whole number in range";
        }
        return field + " is " + describe(value) + ", not " + expected;
    }

    /** What a JSON value is, for a reason: "the text 'yes'", "an object", "the number 1.5". */
    static String describe(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        if (value.isTextual()) {
            return "the text '" + abbreviate(value.asText()) + "'";
        }
        if (value.isNumber()) {
            if (value.isFloatingPointNumber() && Double.isInfinite(value.asDouble())) {
                return "a number too large to read";
            }
            return "the number " + abbreviate(value.asText());
        }
        if (value.isBoolean()) {
            return value.asText();
        }
        if (value.isArray()) {
            return "an array";
        }
        return value.isObject() ? "an object" : "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= MAX_VALUE ? flat : flat.substring(0, MAX_VALUE) + "...";
    }

    private static Class<?> targetType(JsonMappingException failure) {
        if (failure instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return mismatch.getTargetType();
        }
        if (failure.getCause() instanceof InputCoercionException coercion) {
            return coercion.getTargetType();
        }
        return null;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "what the docs describe";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "text";
        }
        return type.isRecord() ? "an object" : "a " + type.getSimpleName();
    }
}
