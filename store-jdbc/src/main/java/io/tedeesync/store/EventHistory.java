package io.tedeesync.store;

import io.tedeesync.store.internal.EventLogTable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One lock's events by the time they happened ({@link StoredEvent#occurredAt()}), for a history over a time
 * range (from {@link LockStore#history()}): the newest events of a range, and the last event of a type before a
 * time (or the first at or after one). The range is a backward range scan of V5's
 * {@code lock_event_serial_occurred}, which stops after {@code limit} rows of the types asked for; the last or
 * first of a type is one {@code LIMIT 1} probe per type of V5's {@code lock_event_serial_type_occurred}, so it
 * costs the same whether the lock logged ten or a million events of other types since. A range costs what it
 * returns plus the events of other types inside it, never what the lock logged outside it.
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
        checkRange(serialNumber, from, to, limit);
        Set<String> typeSet = Set.copyOf(Objects.requireNonNull(types, "types"));
        return store.read("read the events of " + serialNumber + " from " + from + " to " + to,
                connection -> EventLogTable.between(connection, serialNumber, from, to, typeSet, limit));
    }

    /**
     * As {@link #between(String, Instant, Instant, Set, int)} with every type: the newest {@code limit} events of
     * the lock in the range, whatever they are, in log order.
     */
    public List<StoredEvent> between(String serialNumber, Instant from, Instant to, int limit) {
        checkRange(serialNumber, from, to, limit);
        return store.read("read the events of " + serialNumber + " from " + from + " to " + to,
                connection -> EventLogTable.between(connection, serialNumber, from, to, null, limit));
    }

    /**
     * The event of the lock with a type in {@code types} that happened last before {@code before}
     * ({@code occurredAt < before}; of several at that time, the highest id): what was in effect at
     * {@code before}, for the types that say it. One index probe per type ({@link #lastOfEachBefore}), the
     * latest of them.
     */
    public Optional<StoredEvent> lastBefore(String serialNumber, Instant before, Set<String> types) {
        requireSerial(serialNumber);
        Objects.requireNonNull(before, "before");
        Set<String> typeSet = Set.copyOf(Objects.requireNonNull(types, "types"));
        return store.read("read the last event of " + serialNumber + " before " + before,
                connection -> EventLogTable.lastBefore(connection, serialNumber, before, typeSet));
    }

    /**
     * For each type of {@code types}, the lock's event of that type that happened last before {@code before} (of
     * several at that time, the highest id); a type the lock has none of before then is left out. In no set order.
     * All of them on one connection, one short index probe per type.
     */
    public List<StoredEvent> lastOfEachBefore(String serialNumber, Instant before, Set<String> types) {
        requireSerial(serialNumber);
        Objects.requireNonNull(before, "before");
        Set<String> typeSet = Set.copyOf(Objects.requireNonNull(types, "types"));
        return store.read("read the last events of " + serialNumber + " before " + before,
                connection -> List.copyOf(EventLogTable.lastOfEachBefore(connection, serialNumber, before, typeSet)));
    }

    /**
     * For each type of {@code types}, the lock's event of that type that happened first at or after {@code at}
     * ({@code occurredAt >= at}; of several at that time, the lowest id); as {@link #lastOfEachBefore}, the
     * other way in time.
     */
    public List<StoredEvent> firstOfEachAtOrAfter(String serialNumber, Instant at, Set<String> types) {
        requireSerial(serialNumber);
        Objects.requireNonNull(at, "at");
        Set<String> typeSet = Set.copyOf(Objects.requireNonNull(types, "types"));
        return store.read("read the first events of " + serialNumber + " from " + at,
                connection -> List.copyOf(EventLogTable.firstOfEachAtOrAfter(connection, serialNumber, at, typeSet)));
    }

    private static void checkRange(String serialNumber, Instant from, Instant to, int limit) {
        requireSerial(serialNumber);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from (" + from + ") must not be after to (" + to + ")");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
    }

    private static void requireSerial(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        if (serialNumber.isBlank()) {
            throw new IllegalArgumentException("serialNumber must not be blank");
        }
    }
}
