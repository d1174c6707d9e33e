package io.tedeesync.history;

import java.time.Instant;
import java.util.Objects;

/**
 * A lock's battery level from a time on. Immutable, so thread-safe.
 *
 * @param at    when the level was reported (or the start of the range, for the level in effect then)
 * @param level percent, 0 to 100 as Tedee reports it
 */
public record BatteryReading(Instant at, int level) {
    public BatteryReading {
        Objects.requireNonNull(at, "at");
    }
}
