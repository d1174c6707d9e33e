package io.tedeesync.store;

import java.util.Objects;

/**
 * An attempt of a delivery with the delivery's state after it, to store together ({@link WebhookStore#recordAttempts}).
 * Immutable.
 *
 * @param attempt  the attempt
 * @param delivery the delivery after it: state, attempts, next attempt, last status and error
 */
public record RecordedAttempt(AttemptRow attempt, DeliveryRow delivery) {

    public RecordedAttempt {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(delivery, "delivery");
        if (!attempt.endpointId().equals(delivery.endpointId()) || attempt.eventId() != delivery.eventId()) {
            throw new IllegalArgumentException("the attempt is of another delivery than " + delivery.endpointId() + "/" + delivery.eventId());
        }
    }
}
