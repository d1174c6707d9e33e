package io.tedeesync.client.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads Tedee's timestamps, which come in three spellings: {@code 2021-04-26T06:02:04.197Z},
 * {@code 2024-12-13T07:36:36.9049417+00:00} and, in some webhooks, {@code 2024-12-13T07:36:36.6926999}
 * with no zone at all (read as UTC, which is what the cloud runs on).
 */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * The instant, or null for null/blank text. Anything unreadable or impossible (April 31, February 29
     * of a common year) throws {@link IllegalArgumentException} and nothing else, so callers can map
     * one exception to their own bad-input error.
     */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.trim();
        Instant fast = parseCommon(trimmed);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeException withoutOffset) {
            try {
                return LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException unreadable) {
                throw new IllegalArgumentException("unreadable timestamp '" + abbreviate(trimmed) + "'", unreadable);
            }
        }
    }

    /**
     * The spellings Tedee uses, read without the java.time parser (which costs more than the JSON around
     * it: a sync of 1,000 locks carries 1,000 of these). Null when the text is anything else, so the
     * general parser decides. Exact about the calendar (days per month, leap years): a date it lets
     * through is one {@link LocalDate#of} accepts, so it never throws.
     */
    static Instant parseCommon(String s) {
        int length = s.length();
        if (length < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null; // unusual dates (and impossible ones) go to the general parser, which refuses them
        }
        int position = 19;
        long nanos = 0;
        if (position < length && s.charAt(position) == '.') {
            int start = ++position;
            while (position < length && s.charAt(position) >= '0' && s.charAt(position) <= '9') {
                position++;
            }
            int count = position - start;
            if (count == 0 || count > 9) {
                return null;
            }
            nanos = digits(s, start, count);
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (position == length) {
            offsetSeconds = 0; // no zone: UTC, as the cloud means it
        } else if (position == length - 1 && s.charAt(position) == 'Z') {
            offsetSeconds = 0;
        } else if (position == length - 6 && (s.charAt(position) == '+' || s.charAt(position) == '-') && s.charAt(position + 3) == ':') {
            int offsetHours = digits(s, position + 1, 2);
            int offsetMinutes = digits(s, position + 4, 2);
            if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (s.charAt(position) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /** Days in the month of the proleptic Gregorian calendar, as java.time counts them. */
    static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** The number written by {@code count} digits at {@code from}, or -1 if they are not all digits. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
