package io.tedeesync.client.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads Tedee's timestamps, which come in three spellings: {@code 2021-04-26T06:02:04.197Z},
 * {@code 2024-12-13T07:36:36.9049417+00:00} and, in some webhooks, {@code 2024-12-13T07:36:36.6926999}
 * with no zone at all (read as UTC, which is what the cloud runs on).
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** The instant, or null for null/blank text; throws {@link IllegalArgumentException} for anything unreadable. */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.trim();
        try {
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                throw new IllegalArgumentException("unreadable timestamp '" + abbreviate(trimmed) + "'", unreadable);
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
