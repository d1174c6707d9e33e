package io.tedeesync.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the event log. Times are kept to the millisecond. Immutable, so thread-safe.
 *
 * @param id           position in the log: unique, increasing in the order the events were written
 * @param account      the account
 * @param serialNumber the lock, or null for an account event
 * @param lockId       the lock id at the time of the event, or null for an account event
 * @param type         the event's simple name, e.g. {@code StateChanged}, {@code AccountDegraded}
 * @param occurredAt   when it happened by the API (for account events: when it was observed)
 * @param observedAt   when the engine learned of it
 * @param source       the {@link io.tedeesync.sync.EventSource} name, e.g. {@code SYNC}
 * @param json         the event as {@link EventCodec} writes it, id included: ready to serve as it is
 */
public record StoredEvent(long id, String account, String serialNumber, Long lockId, String type,
        Instant occurredAt, Instant observedAt, String source, String json) {

    public StoredEvent {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(json, "json");
    }
}
