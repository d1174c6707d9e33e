package io.tedeesync.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A {@code cursor} of {@code GET /api/locks}: which instance made the snapshot (it alone holds it), which
 * snapshot, and where the next page starts. Opaque to clients: base64url without padding of a small JSON
 * object. Nothing in it is secret; changing it by hand reaches at most another position of a snapshot the
 * caller may read anyway. Immutable.
 *
 * @param instance the id of the instance that holds the snapshot (unique to its start)
 * @param snapshot the snapshot's id ({@link LockPages})
 * @param position the index of the first lock of the next page (1 or more)
 */
record LockCursor(@JsonProperty("i") String instance, @JsonProperty("s") String snapshot, @JsonProperty("p") int position) {
    /** Far above any cursor this service gives; a longer one is not read at all. */
    private static final int MAX_LENGTH = 400;
    private static final ObjectReader READER = ApiJson.MAPPER.readerFor(LockCursor.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    LockCursor {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(snapshot, "snapshot");
        if (position < 1) {
            throw new IllegalArgumentException("a next page starts after the first lock, not at " + position);
        }
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ApiJson.writeBytes(this));
    }

    /**
     * Reads a cursor as {@link #encode()} wrote it.
     *
     * @throws QueryParameters.Problem {@code 400 bad_cursor} when it is not one
     */
    static LockCursor decode(String text) {
        if (text.length() > MAX_LENGTH || !text.matches("[A-Za-z0-9_-]+")) {
            throw bad();
        }
        try {
            LockCursor cursor = READER.readValue(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
            if (cursor == null) {
                throw bad();
            }
            return cursor;
        } catch (IOException | IllegalArgumentException e) {
            throw bad();
        }
    }

    /** {@code 400 bad_cursor}. */
    static QueryParameters.Problem bad() {
        return new QueryParameters.Problem(400, "bad_cursor", "the cursor is not one this service gave: pass nextCursor as it came,"
                + " or start again without cursor");
    }
}
