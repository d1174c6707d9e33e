package io.tedeesync.history;

import io.tedeesync.store.EventHistory;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.MirroredLock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a lock's history from the store: the newest {@link LockHistory#MAX_EVENTS} events of the range (one more,
 * to learn whether there were more), then the last event of each of {@link LockHistory#TYPES} before the window's
 * start, which {@link LockHistory} assembles; and, only for a lock whose log before the range does not say what was
 * in effect at its start, the first event of each type after the range and the lock's copy. The range is one index
 * range scan and every other read one short index probe per type ({@link EventHistory}), so the cost follows the
 * events returned, not the lock's whole log. Stateless but for the store; thread-safe.
 */
public final class HistoryReader {
    private final EventHistory events;
    private final Function<String, Optional<MirroredLock>> copies;
    private final int maxEvents;

    /** @param copies a lock's current copy by serial number (the engine's, else the store's), for what its log does not say */
    public HistoryReader(EventHistory events, Function<String, Optional<MirroredLock>> copies) {
        this(events, copies, LockHistory.MAX_EVENTS);
    }

    /** With another bound on the events read than {@link LockHistory#MAX_EVENTS} (to see truncation at work). */
    public HistoryReader(EventHistory events, Function<String, Optional<MirroredLock>> copies, int maxEvents) {
        this.events = Objects.requireNonNull(events, "events");
        this.copies = Objects.requireNonNull(copies, "copies");
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
        List<StoredEvent> before = events.lastOfEachBefore(serialNumber, window.from(), LockHistory.TYPES);
        return LockHistory.of(before, window, new LockHistory.Beyond() {
            @Override
            public List<StoredEvent> firstAfter() {
                return events.firstOfEachAtOrAfter(serialNumber, window.to(), LockHistory.TYPES);
            }

            @Override
            public Optional<MirroredLock> copy() {
                return copies.apply(serialNumber);
            }
        });
    }

    /** The newest {@code limit} events of any type of the lock in the history's range, ascending by id. */
    public List<StoredEvent> newestEvents(String serialNumber, LockHistory history, int limit) {
        return events.between(serialNumber, history.from(), history.to(), limit);
    }
}
