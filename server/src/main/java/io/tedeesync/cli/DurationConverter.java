package io.tedeesync.cli;

import io.tedeesync.server.HumanDuration;
import java.time.Duration;
import picocli.CommandLine;

/** {@link HumanDuration}s for picocli: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code PT10S}, {@code 0}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        try {
            return HumanDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
