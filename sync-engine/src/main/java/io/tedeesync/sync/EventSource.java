package io.tedeesync.sync;

/** Which observation an event came from. */
public enum EventSource {
    /** {@code GET /my/lock}: the full list. */
    GET_ALL,
    /** A sync call: all locks, some ({@code ?id=}) or one. */
    SYNC,
    /** {@code GET /my/lock/{id}}: one lock's details, fetched after its configuration revision rose. */
    DETAILS,
    /** A Tedee webhook. */
    WEBHOOK,
    /** The engine itself (account health). */
    ENGINE
}
