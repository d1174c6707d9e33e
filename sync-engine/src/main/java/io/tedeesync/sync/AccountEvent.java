package io.tedeesync.sync;

import java.time.Instant;

/** A change of an account's health. */
public sealed interface AccountEvent extends SyncEvent {

    /** Calls to the account fail (network, server, rate limit); its locks keep their last known state and turn stale. */
    record AccountDegraded(String account, Instant observedAt, String reason) implements AccountEvent {
        @Override
        public EventSource source() {
            return EventSource.ENGINE;
        }
    }

    /** Calls succeed again after a degradation. */
    record AccountRecovered(String account, Instant observedAt) implements AccountEvent {
        @Override
        public EventSource source() {
            return EventSource.ENGINE;
        }
    }

    /** The account's credentials were refused even after a refresh: the engine stopped calling it. */
    record AccountFailed(String account, Instant observedAt, String reason) implements AccountEvent {
        @Override
        public EventSource source() {
            return EventSource.ENGINE;
        }
    }
}
