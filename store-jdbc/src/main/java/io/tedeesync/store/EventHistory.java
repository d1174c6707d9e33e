package io.tedeesync.store;

import io.tedeesync.store.internal.EventLogTable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One lock's events by the time they happened ({@link StoredEvent#occurredAt()}), for a history over a time
 * range (from {@link LockStore#history()}): the newest events of a range, and the last event before a time,
 * each of the types asked for. Both are index range scans (V5's {@code lock_event_serial_occurred}), so a busy
 * lock's month costs what it returns, not what the lock ever logged.
 *
 * <p>Times are compared as stored, to the millisecond: a bound between two milliseconds counts as the next
 * whole one. Each call reads on a connection of its own, beside the writers; a failure is a
 * {@link StoreException}. Thread-safe.
 */
public final class EventHistory {
    private final LockStore store;

    EventHistory(LockStore store) {
        this.store = store;
    }

    /**
     * The newest {@code limit} events of the lock with {@code from <= occurredAt < to} and a type in
     * {@code types} ("newest" by occurrence, ties by id), returned in log order: ascending id. Ask for one more
     * than you will use to learn whether the range held more.
     *
     * @param types event types as {@link StoredEvent#type()} names them, e.g. {@code StateChanged}; none: no events
     * @throws IllegalArgumentException when {@code from} is after {@code to} or {@code limit} is below 1
     */
    public List<StoredEvent> between(String serialNumber, Instant from, Instant to, Set<String> types, int limit) {
        requireSerial(serialNumber);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Set<String> typeSet = Set.copyOf(Objects.requireNonNull(types, "types"));
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from (" + from + ") must not be after to (" + to + ")");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        return store.read("read the events of " + serialNumber + " from " + from + " to " + to,
                connection -> EventLogTable.between(connection, serialNumber, from, to, typeSet, limit));
    }

    /**
     * The event of the lock with a type in {@code types} that happened last before {@code before}
     * ({@code occurredAt < before}; of several at that time, the highest id): what was in effect at
     * {@code before}, for the types that say it.
     */
    public Optional<StoredEvent> lastBefore(String serialNumber, Instant before, Set<String> types) {
        requireSerial(serialNumber);
        Objects.requireNonNull(before, "before");
        Set<String> typeSet = Set.copyOf(Objects.requireNonNull(types, "types"));
        return store.read("read the last event of " + serialNumber + " before " + before,
                connection -> EventLogTable.lastBefore(connection, serialNumber, before, typeSet));
    }

    private static void requireSerial(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        if (serialNumber.isBlank()) {
            throw new IllegalArgumentException("serialNumber must not be blank");
        }
    }
}
