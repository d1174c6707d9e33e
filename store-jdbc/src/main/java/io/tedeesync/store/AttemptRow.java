package io.tedeesync.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One attempt of a delivery. Immutable.
 *
 * @param endpointId    the endpoint
 * @param eventId       the delivery's event
 * @param attempt       its number, from 1
 * @param at            when it was sent
 * @param status        the HTTP status answered, or null when no answer came (refused, timed out, cut)
 * @param latencyMillis from sending to the answer (or to giving up on one)
 * @param error         why it failed, or null when it succeeded
 */
public record AttemptRow(String endpointId, long eventId, int attempt, Instant at, Integer status, long latencyMillis, String error) {

    public AttemptRow {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(at, "at");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are counted from 1, was " + attempt);
        }
    }
}
