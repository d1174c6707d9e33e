package io.tedeesync.sync;

/** What the engine did with a webhook. */
public enum WebhookOutcome {
    /** Merged into an account's mirror (events, if any, were delivered). */
    APPLIED,
    /** Older than what the mirror knows: nothing overwritten. */
    STALE,
    /** A device no account knows: at most one list refresh was asked for. */
    UNKNOWN_DEVICE,
    /** An event type this engine does not know: ignored and counted. */
    UNKNOWN_EVENT,
    /** Merged, but a listener (the store) failed on the change or took too long: not durably applied. */
    NOT_DELIVERED
}
