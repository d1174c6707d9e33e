package io.tedeesync.history;

import io.tedeesync.store.EventHistory;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.LockEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a lock's history from the store: the newest {@link LockHistory#MAX_EVENTS} events of the range (one more,
 * to learn whether there were more), then the last event before the window's start of each of
 * {@link LockHistory#IN_EFFECT}, which {@link LockHistory} assembles. Each read is an index range scan, so the cost
 * follows the events returned, not the lock's whole log. Stateless but for the store; thread-safe.
 */
public final class HistoryReader {
    /** Every lock event type (the log's other events are the account's, with no serial number). */
    public static final Set<String> LOCK_EVENT_TYPES = Arrays.stream(LockEvent.class.getPermittedSubclasses())
            .map(Class::getSimpleName).collect(Collectors.toUnmodifiableSet());

    private final EventHistory events;
    private final int maxEvents;

    public HistoryReader(EventHistory events) {
        this(events, LockHistory.MAX_EVENTS);
    }

    /** With another bound on the events read than {@link LockHistory#MAX_EVENTS} (to see truncation at work). */
    public HistoryReader(EventHistory events, int maxEvents) {
        this.events = Objects.requireNonNull(events, "events");
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be 1 or more, was " + maxEvents);
        }
        this.maxEvents = maxEvents;
    }

    /**
     * The lock's history over {@code [from, to)}, {@code to} clipped to {@code now}.
     *
     * @throws IllegalArgumentException when {@code from} is not before the clipped end
     * @throws io.tedeesync.store.StoreException when the store cannot be read
     */
    public LockHistory read(String serialNumber, Instant from, Instant to, Instant now) {
        Instant end = HistoryWindow.clippedEnd(to, now);
        if (!from.isBefore(end)) {
            throw new IllegalArgumentException("from (" + from + ") must be before " + end);
        }
        List<StoredEvent> newest = events.between(serialNumber, from, end, LockHistory.TYPES, maxEvents + 1);
        HistoryWindow window = HistoryWindow.of(from, to, now, newest, maxEvents);
        List<StoredEvent> before = new ArrayList<>(LockHistory.IN_EFFECT.size());
        for (Set<String> types : LockHistory.IN_EFFECT) {
            events.lastBefore(serialNumber, window.from(), types).ifPresent(before::add);
        }
        return LockHistory.of(before, window);
    }

    /** The newest {@code limit} events of any type of the lock in the history's range, ascending by id. */
    public List<StoredEvent> newestEvents(String serialNumber, LockHistory history, int limit) {
        return events.between(serialNumber, history.from(), history.to(), LOCK_EVENT_TYPES, limit);
    }
}
