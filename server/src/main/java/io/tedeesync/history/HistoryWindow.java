package io.tedeesync.history;

import io.tedeesync.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The part of an asked range a history covers, and the events read from it: the range's end clipped to now,
 * and, when the range held more events than may be read, its start moved to the oldest event kept. Immutable,
 * so thread-safe.
 *
 * @param from      start, inclusive: the asked one, or the oldest kept event's time when {@code truncated}
 * @param to        end, exclusive: the asked one, or now if that is earlier
 * @param truncated whether the range held more events than were read
 * @param events    the events of the window, by the time they happened (ties by id)
 */
public record HistoryWindow(Instant from, Instant to, boolean truncated, List<StoredEvent> events) {
    /** Event order for a history: the time they happened, then the log's order. */
    static final Comparator<StoredEvent> BY_TIME = Comparator.comparing(StoredEvent::occurredAt).thenComparingLong(StoredEvent::id);

    public HistoryWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        events = List.copyOf(events);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
    }

    /** The end a range from the asker's {@code to} has: never after {@code now}. */
    public static Instant clippedEnd(Instant to, Instant now) {
        return to.isAfter(now) ? now : to;
    }

    /**
     * The window of {@code [from, clippedEnd(to, now))} given its newest events as read, up to {@code maxEvents + 1}
     * of them (the one more tells that there were more). When there were more, the oldest read and every event
     * at its very time are dropped, and the window starts at the oldest event kept: the events before that start
     * are then exactly those the store finds before it, none lost between the two. (One absurd case loses some: more
     * than {@code maxEvents} events in the last millisecond before the end leave the window that millisecond, empty,
     * with those events before nothing.)
     *
     * @throws IllegalArgumentException when the clipped range is empty, or {@code maxEvents} is below 1
     */
    public static HistoryWindow of(Instant from, Instant to, Instant now, List<StoredEvent> newest, int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be 1 or more, was " + maxEvents);
        }
        Instant end = clippedEnd(to, now);
        List<StoredEvent> events = new ArrayList<>(newest);
        events.sort(BY_TIME);
        if (events.size() <= maxEvents) {
            return new HistoryWindow(from, end, false, events);
        }
        Instant cut = events.get(0).occurredAt();
        List<StoredEvent> kept = events.stream().filter(event -> event.occurredAt().isAfter(cut)).toList();
        // Only when more than maxEvents happened in one millisecond is nothing left: the window starts just after it,
        // and those events are in effect at its start. When that millisecond is the last before the end, there is no
        // "after it" left: the window is that millisecond, empty, and its events are neither shown nor in effect.
        Instant start = kept.isEmpty() ? cut.plusMillis(1) : kept.get(0).occurredAt();
        return new HistoryWindow(start.isBefore(end) ? start : end.minusMillis(1), end, true, kept);
    }
}
