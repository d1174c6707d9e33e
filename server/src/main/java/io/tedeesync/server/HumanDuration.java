package io.tedeesync.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them, in flags, the accounts file and the accounts API: {@code 500ms},
 * {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, ISO-8601 {@code PT10S}, or {@code 0}; and written back for
 * people in messages ({@link #format}). Stateless.
 */
public final class HumanDuration {
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private HumanDuration() {
    }

    /** @throws IllegalArgumentException saying how to write one */
    public static Duration parse(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("0")) {
            return Duration.ZERO; // "off" needs no unit
        }
        Matcher simple = SIMPLE.matcher(text);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            switch (simple.group(2)) {
                case "ms": return Duration.ofMillis(amount);
                case "s": return Duration.ofSeconds(amount);
                case "m": return Duration.ofMinutes(amount);
                case "h": return Duration.ofHours(amount);
                default: return Duration.ofDays(amount);
            }
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (write e.g. 10s, 5m, 1h or PT10S)");
        }
    }

    /** A period as people read it in a message: {@code 24 h}, {@code 90 min}, {@code 30 s}, {@code 250 ms}. */
    public static String format(Duration period) {
        if (period.toMinutes() > 0 && period.toMinutesPart() == 0 && period.toSecondsPart() == 0 && period.toMillisPart() == 0) {
            return period.toHours() + " h";
        }
        if (period.toSeconds() >= 60 && period.toSecondsPart() == 0 && period.toMillisPart() == 0) {
            return period.toMinutes() + " min";
        }
        return period.toMillisPart() == 0 ? period.toSeconds() + " s" : period.toMillis() + " ms";
    }
}
