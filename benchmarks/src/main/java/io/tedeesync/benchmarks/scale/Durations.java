package io.tedeesync.benchmarks.scale;

import java.time.Duration;
import java.util.Locale;

/** Durations as the command line writes them: {@code 500ms}, {@code 20s}, {@code 3m}, {@code 1h}, or ISO {@code PT20S}. */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("pt")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.equals("0")) {
                return Duration.ZERO;
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            switch (value.charAt(value.length() - 1)) {
                case 's': return Duration.ofSeconds(amount);
                case 'm': return Duration.ofMinutes(amount);
                case 'h': return Duration.ofHours(amount);
                default: break;
            }
        } catch (RuntimeException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration (write 500ms, 20s, 3m or 1h)");
    }

    /** {@code 20s}, {@code 3m}, {@code 500ms}: the shortest exact spelling. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
