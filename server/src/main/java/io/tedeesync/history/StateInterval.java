package io.tedeesync.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * A stretch of time in which a lock's position and connection stayed the same. Immutable, so thread-safe.
 *
 * @param state     the position's name as the lock view shows it ({@code LOCKED}, {@code UNKNOWN} for an undocumented
 *                  code), or null while it is not known: disconnected, or connected without a position reported
 * @param stateCode the raw position code, or null with {@code state}
 * @param connected whether the lock was connected to the cloud
 * @param from      start, inclusive
 * @param to        end, exclusive
 * @param source    the {@link io.tedeesync.sync.EventSource} name of the event that started it, e.g. {@code WEBHOOK}
 *                  (for the first, of the event what was in effect at the start was read from); null when no event
 *                  said it: the first interval of a lock whose log says nothing of it since the start, taken from
 *                  the lock's current copy
 */
@JsonInclude(JsonInclude.Include.ALWAYS) // a null state says "not known", so it is written, not left out
@JsonPropertyOrder({"state", "stateCode", "connected", "from", "to", "source"})
public record StateInterval(String state, Integer stateCode, boolean connected, Instant from, Instant to, String source) {

    public StateInterval {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if ((state == null) != (stateCode == null)) {
            throw new IllegalArgumentException("state and stateCode are known together, got " + state + " and " + stateCode);
        }
        if (state != null && !connected) {
            throw new IllegalArgumentException("a disconnected lock's position is not known, got " + state);
        }
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
        }
    }

    /** Whether this and {@code other} say the same: position, code and connection (times and source aside). */
    boolean sameStateAs(StateInterval other) {
        return connected == other.connected && Objects.equals(state, other.state) && Objects.equals(stateCode, other.stateCode);
    }

    StateInterval withTo(Instant end) {
        return new StateInterval(state, stateCode, connected, from, end, source);
    }
}
