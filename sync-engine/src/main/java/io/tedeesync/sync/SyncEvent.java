package io.tedeesync.sync;

import java.time.Instant;

/** Everything the engine tells listeners: a change of a lock ({@link LockEvent}) or of an account's health ({@link AccountEvent}). */
public sealed interface SyncEvent permits LockEvent, AccountEvent {

    /** Name of the account the event belongs to. */
    String account();

    /** When the engine learned of it (engine clock). */
    Instant observedAt();

    /** Where it came from. */
    EventSource source();
}
