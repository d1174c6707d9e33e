package io.tedeesync.simulator.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The date-time spellings of the Tedee docs' samples. They differ from field to field, and a client
 * must read all of them, so the simulator writes each one the way its sample does. Thread-safe.
 */
final class WireTime {

    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL_TICKS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter OFFSET_TICKS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSxxx").withZone(ZoneOffset.UTC);

    private WireTime() {}

    /** {@code 2021-04-26T06:02:04.197Z}: state dates, most webhook times. */
    static String utc(Instant instant) {
        return UTC_MILLIS.format(instant);
    }

    /** {@code 2020-01-01T00:00:00}: the lock's {@code created}, no zone. */
    static String localSeconds(Instant instant) {
        return LOCAL_SECONDS.format(instant);
    }

    /** {@code 2024-12-13T07:36:36.6926999}: the bell event's {@code eventTime}, no zone. */
    static String localTicks(Instant instant) {
        return LOCAL_TICKS.format(instant);
    }

    /** {@code 2024-12-13T07:36:36.9049417+00:00}: the bell event's {@code timestamp}. */
    static String offsetTicks(Instant instant) {
        return OFFSET_TICKS.format(instant);
    }
}
