package io.tedeesync.store;

/** Where a delivery of an event to an endpoint stands. */
public enum DeliveryState {
    /** Not delivered yet: due at its next attempt, or waiting behind an older delivery of the same lock. */
    PENDING,
    /** The endpoint answered 2xx. */
    DELIVERED,
    /** Given up: its attempts ran out (a retry through the API makes it pending again). */
    FAILED
}
