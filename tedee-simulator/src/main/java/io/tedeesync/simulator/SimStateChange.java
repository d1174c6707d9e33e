package io.tedeesync.simulator;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of a simulated lock's position or connection, as {@link TedeeSimulator#stateHistory} lists
 * them: what the lock was from {@code at} on, until the next change.
 *
 * <p>Immutable and thread-safe.
 *
 * @param at when it changed, in simulated time (the simulator's clock)
 * @param stateCode the raw lock state code from then on (6 Locked, 2 Unlocked, 5 Locking, ...); while
 *     disconnected, the position the device had when it lost its bridge (or was turned to meanwhile),
 *     which no API shows until it is back
 * @param connected whether the lock was connected to its bridge from then on
 */
public record SimStateChange(Instant at, int stateCode, boolean connected) {

    public SimStateChange {
        Objects.requireNonNull(at, "at");
    }
}
