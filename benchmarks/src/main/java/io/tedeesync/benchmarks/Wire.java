package io.tedeesync.benchmarks;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Tedee's timestamp spelling in API answers and webhooks ({@code 2026-03-02T08:00:00.000Z}). Stateless. */
final class Wire {
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Wire() {
    }

    static String time(Instant instant) {
        return UTC_MILLIS.format(instant);
    }
}
