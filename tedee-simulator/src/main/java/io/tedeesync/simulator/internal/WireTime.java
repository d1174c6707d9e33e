package io.tedeesync.simulator.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The date-time spellings of the Tedee docs' samples. They differ from field to field, and a client
 * must read all of them, so the simulator writes each one the way its sample does. Thread-safe.
 *
 * <p>The two spellings written into every lock of every answer ({@link #utc} and {@link #localSeconds})
 * are written digit by digit for years 1000 to 9999: the same text as their {@link DateTimeFormatter}
 * pattern, at a fraction of its cost (a formatter builds a temporal query and a {@code StringBuilder} per
 * field); other years go through the formatter.
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
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (!fourDigitYear(time)) {
            return UTC_MILLIS.format(instant);
        }
        char[] text = new char[24];
        dateAndTime(text, time);
        text[19] = '.';
        int millis = instant.getNano() / 1_000_000; // truncated, as the pattern's SSS is
        text[20] = (char) ('0' + millis / 100);
        text[21] = (char) ('0' + millis / 10 % 10);
        text[22] = (char) ('0' + millis % 10);
        text[23] = 'Z';
        return new String(text);
    }

    /** {@code 2020-01-01T00:00:00}: the lock's {@code created}, no zone. */
    static String localSeconds(Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (!fourDigitYear(time)) {
            return LOCAL_SECONDS.format(instant);
        }
        char[] text = new char[19];
        dateAndTime(text, time);
        return new String(text);
    }

    /** {@code 2024-12-13T07:36:36.6926999}: the bell event's {@code eventTime}, no zone. */
    static String localTicks(Instant instant) {
        return LOCAL_TICKS.format(instant);
    }

    /** {@code 2024-12-13T07:36:36.9049417+00:00}: the bell event's {@code timestamp}. */
    static String offsetTicks(Instant instant) {
        return OFFSET_TICKS.format(instant);
    }

    private static boolean fourDigitYear(LocalDateTime time) {
        return time.getYear() >= 1000 && time.getYear() <= 9999;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} into the first 19 characters. */
    private static void dateAndTime(char[] text, LocalDateTime time) {
        int year = time.getYear();
        text[0] = (char) ('0' + year / 1000);
        text[1] = (char) ('0' + year / 100 % 10);
        text[2] = (char) ('0' + year / 10 % 10);
        text[3] = (char) ('0' + year % 10);
        text[4] = '-';
        two(text, 5, time.getMonthValue());
        text[7] = '-';
        two(text, 8, time.getDayOfMonth());
        text[10] = 'T';
        two(text, 11, time.getHour());
        text[13] = ':';
        two(text, 14, time.getMinute());
        text[16] = ':';
        two(text, 17, time.getSecond());
    }

    private static void two(char[] text, int at, int value) {
        text[at] = (char) ('0' + value / 10);
        text[at + 1] = (char) ('0' + value % 10);
    }
}
