package io.tedeesync.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One event to deliver to one endpoint, with where it stands. Immutable.
 *
 * @param endpointId    the endpoint
 * @param eventId       the event's id in the log; with the endpoint, the delivery's identity
 * @param eventType     the event's type ({@link StoredEvent#type()})
 * @param orderingKey   what is delivered in event order: the lock's serial number, or {@code account:} + the account
 *                      for an account event
 * @param payload       the body, exactly as every attempt sends it
 * @param state         where it stands
 * @param attempts      attempts made so far
 * @param nextAttemptAt when it is due, or null: finished, or waiting behind an older pending delivery of its key
 * @param createdAt     when it was queued
 * @param finishedAt    when it was delivered or given up, or null while pending
 * @param lastStatus    the HTTP status of the last attempt, or null (none yet, or no answer)
 * @param lastError     why the last attempt failed, or null
 */
public record DeliveryRow(String endpointId, long eventId, String eventType, String orderingKey, String payload, DeliveryState state,
        int attempts, Instant nextAttemptAt, Instant createdAt, Instant finishedAt, Integer lastStatus, String lastError) {

    public DeliveryRow {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(orderingKey, "orderingKey");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be 0 or more, was " + attempts);
        }
    }

    /** The same delivery after an attempt. */
    public DeliveryRow withOutcome(DeliveryState newState, int newAttempts, Instant next, Instant finished, Integer status, String error) {
        return new DeliveryRow(endpointId, eventId, eventType, orderingKey, payload, newState, newAttempts, next, createdAt, finished,
                status, error);
    }
}
