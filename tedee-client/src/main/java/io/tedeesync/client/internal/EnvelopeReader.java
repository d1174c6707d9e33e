package io.tedeesync.client.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the envelope {@code {"result": .., "success": .., "errorMessages": [..], "statusCode": n}} of a
 * 2xx answer with a streaming parser, so that a list result is read element by element: an element
 * with a duplicate key becomes an unreadable {@link RawEntry} and the elements after it are still
 * read. What cannot be recovered from (not JSON, truncated, not UTF-8, past the parser's nesting or
 * number limits, a duplicate envelope key) is a {@link WireFormatException} for the whole answer.
 *
 * <p>Stateless and thread-safe.
 */
final class EnvelopeReader {
    /**
     * Duplicate keys are refused (which of two {@code state}s is meant?), and a fraction is not read
     * as a whole number ({@code "id": 1.5} is not lock 1).
     */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    /** Only to tell what an element with a duplicate key was (its id, its serial), never to use it. */
    private static final ObjectMapper LENIENT = JsonMapper.builder().build();

    private EnvelopeReader() {
    }

    /**
     * One element of a list result: its tree, and why it is unreadable already (null when it may be
     * readable). The tree of an unreadable element is a best-effort reading, for its identity only.
     */
    record RawEntry(JsonNode node, String problem) {
    }

    /**
     * @param result  the result when it is not read as a list (absent or JSON null: null)
     * @param entries the elements when a list was expected and the result was an array, otherwise null
     */
    record Envelope(JsonNode result, List<RawEntry> entries, Boolean success, List<String> errorMessages, Integer statusCode) {

        boolean hasResult() {
            return entries != null || (result != null && !result.isNull());
        }
    }

    /** @param listResult read an array result element by element */
    static Envelope read(byte[] body, boolean listResult) {
        if (body == null || body.length == 0) {
            throw new WireFormatException("an empty body");
        }
        try (JsonParser parser = STRICT.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new WireFormatException("a body that is not a JSON object");
            }
            return readFields(parser, body, listResult);
        } catch (StreamConstraintsException e) {
            throw new WireFormatException("JSON past the parser's limits (" + e.getOriginalMessage() + ")", e);
        } catch (MismatchedInputException e) {
            throw new WireFormatException("a result with a duplicate key", e);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("unreadable JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new WireFormatException("an unreadable body (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static Envelope readFields(JsonParser parser, byte[] body, boolean listResult) throws IOException {
        Set<String> names = new HashSet<>();
        JsonNode result = null;
        List<RawEntry> entries = null;
        Boolean success = null;
        List<String> errorMessages = List.of();
        Integer statusCode = null;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token == null) {
                throw new WireFormatException("an envelope that ends early");
            }
            String name = parser.currentName();
            if (!names.add(name)) {
                throw new WireFormatException("an envelope with the key '" + Reasons.abbreviate(name) + "' twice");
            }
            JsonToken value = parser.nextToken();
            switch (name) {
                case "result":
                    if (listResult && value == JsonToken.START_ARRAY) {
                        entries = readEntries(parser, body);
                    } else {
                        result = STRICT.readTree(parser);
                    }
                    break;
                case "success":
                    if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                        success = value == JsonToken.VALUE_TRUE;
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw new WireFormatException("an envelope whose success is not true or false");
                    }
                    break;
                case "errorMessages":
                    errorMessages = texts(STRICT.readTree(parser));
                    break;
                case "statusCode":
                    statusCode = value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                            ? parser.getIntValue() : null;
                    parser.skipChildren();
                    break;
                default:
                    parser.skipChildren();
            }
        }
        return new Envelope(result, entries, success, errorMessages, statusCode);
    }

    private static List<RawEntry> readEntries(JsonParser parser, byte[] body) throws IOException {
        JsonStreamContext array = parser.getParsingContext();
        List<RawEntry> entries = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new WireFormatException("a result array that ends early");
            }
            long start = parser.currentTokenLocation().getByteOffset();
            try {
                entries.add(new RawEntry(STRICT.readTree(parser), null));
            } catch (MismatchedInputException duplicate) {
                // Thrown once the duplicate's value is read: the parser is still sound, so skip to the
                // element's end and go on with the next one.
                String key = parser.currentName();
                while (parser.getParsingContext() != array) {
                    if (parser.nextToken() == null) {
                        throw new WireFormatException("a result array that ends early");
                    }
                }
                long end = parser.currentLocation().getByteOffset();
                entries.add(new RawEntry(bestEffort(body, start, end),
                        "the key '" + Reasons.abbreviate(String.valueOf(key)) + "' appears twice"));
            }
        }
        return entries;
    }

    private static JsonNode bestEffort(byte[] body, long start, long end) {
        try {
            if (start < 0 || end <= start || end > body.length) {
                return null;
            }
            return LENIENT.readTree(body, (int) start, (int) (end - start));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static List<String> texts(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        messages.forEach(message -> texts.add(message.asText()));
        return texts;
    }
}
