package io.tedeesync.history;

import java.time.Instant;
import java.util.Objects;

/**
 * A lock's door sensor state from a time on. Immutable, so thread-safe.
 *
 * @param at        when it was reported (or the start of the range, for the state in effect then)
 * @param state     the {@link io.tedeesync.client.DoorState} name, as the lock view's {@code doorState} shows it
 * @param stateCode the raw door state code
 */
public record DoorReading(Instant at, String state, int stateCode) {
    public DoorReading {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
    }
}
