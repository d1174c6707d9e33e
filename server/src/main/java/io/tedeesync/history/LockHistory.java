package io.tedeesync.history;

import io.tedeesync.client.LockState;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.MirroredLock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A lock's history over a time range, assembled from its event log: its position and connection as consecutive
 * {@link StateInterval}s, its battery levels and door states as readings. Pure: it reads nothing but the events
 * it is given, the ones in effect before the range and the ones in it ({@link HistoryWindow}), and, only when
 * those do not say what was in effect at the range's start, what {@link Beyond} gives.
 *
 * <p>The rules, in the order of the events (the time they happened, ties in log order):
 * <ul>
 *   <li>The first interval starts at the range's start, with what was in effect then. That is what the last events
 *       before the range say; for what they do not say (the retention pruned a quiet lock's last position, say),
 *       what the first event of each kind at or after the start says was so before it ({@code StateChanged}'s
 *       {@code fromCode}, the opposite of {@code ConnectionChanged}, {@code BatteryChanged}'s and
 *       {@code DoorStateChanged}'s {@code from}), unless an {@code Added} or a {@code Removed} comes first (before
 *       an {@code Added} there was no lock); and when no event at or after the start says it either, the lock's
 *       current copy, from the later of the start and the copy's {@code lastStateChangedDate}. Its source is that of
 *       the event it was read from, or null when it comes from the copy. A later interval starts at each event that
 *       changed the position or the connection, with that event's source. Each ends where the next starts, the last
 *       at the range's end. Adjacent intervals that say the same (position, code, connection) are one; an interval
 *       of no length (two changes in one millisecond) is left out.</li>
 *   <li>{@code StateChanged} sets the position ({@code toCode}; the name is its {@link LockState}'s). It says the
 *       lock is connected only when no connection event said otherwise: a sync after a reconnection dates the
 *       position it finds at its change, which may lie inside the disconnection; the position then shows from the
 *       reconnection on. {@code ConnectionChanged} sets the connection: while disconnected the position is null;
 *       on reconnecting the last known position holds again.</li>
 *   <li>{@code Removed} ends the interval, and none follows until {@code Added}, which starts one from its
 *       {@code lock} view (its {@code state} null: position not known; {@code isConnected}).</li>
 *   <li>Battery: the level in effect at the start (at the start), then every {@code BatteryChanged} and each
 *       {@code Added} that brings a level other than the one before. Door: the same with {@code DoorStateChanged}
 *       ({@code toCode}) and {@code Added}'s {@code doorState} when it names a state.</li>
 * </ul>
 * An event whose JSON lacks what its type says (a row written by hand, say) is passed over.
 *
 * <p>Immutable, so thread-safe.
 */
public final class LockHistory {
    /**
     * The most events a history reads from its range: the newest; past it the range is truncated. Each is parsed
     * (some 0.5 KB of JSON), so one history of a full range holds some tens of MB while it is assembled: the route
     * lets only a few be assembled at once.
     */
    public static final int MAX_EVENTS = 50_000;
    /** The event types a history is made of; the last of each before the range is what was in effect at its start. */
    public static final Set<String> TYPES =
            Set.of("Added", "Removed", "StateChanged", "ConnectionChanged", "BatteryChanged", "DoorStateChanged");

    private final Instant from;
    private final Instant to;
    private final boolean truncated;
    private final List<StateInterval> states;
    private final List<BatteryReading> battery;
    private final List<DoorReading> door;

    /**
     * What lies beyond the range, for a lock whose log before the range and in it does not say what was in effect
     * at its start: asked for only then, in this order, each at most once.
     */
    public interface Beyond {
        /** Nothing beyond: what the range and the events before it say is all there is. */
        Beyond NOTHING = new Beyond() {
            @Override
            public List<StoredEvent> firstAfter() {
                return List.of();
            }

            @Override
            public Optional<MirroredLock> copy() {
                return Optional.empty();
            }
        };

        /** The first event of each of {@link #TYPES} at or after the range's end (in any order). */
        List<StoredEvent> firstAfter();

        /** The lock's current copy (this instance's engine, else the store), if there is one. */
        Optional<MirroredLock> copy();
    }

    private LockHistory(HistoryWindow window, List<StateInterval> states, List<BatteryReading> battery, List<DoorReading> door) {
        this.from = window.from();
        this.to = window.to();
        this.truncated = window.truncated();
        this.states = List.copyOf(states);
        this.battery = List.copyOf(battery);
        this.door = List.copyOf(door);
    }

    /** The history of the window's range, with nothing beyond it ({@link Beyond#NOTHING}). */
    public static LockHistory of(List<StoredEvent> before, HistoryWindow window) {
        return of(before, window, Beyond.NOTHING);
    }

    /**
     * The history of the window's range.
     *
     * @param before events that happened before the window's start (any of them, in any order; the last of each of
     *               {@link #TYPES} is enough); later ones are not taken
     * @param beyond what is asked for when {@code before} and the window leave the state at the start unknown
     */
    public static LockHistory of(List<StoredEvent> before, HistoryWindow window, Beyond beyond) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(beyond, "beyond");
        Replay replay = new Replay();
        for (StoredEvent event : before.stream().filter(e -> e.occurredAt().isBefore(window.from())).sorted(HistoryWindow.BY_TIME).toList()) {
            replay.apply(event);
        }
        Instant firstStart = window.from();
        if (!replay.knowsAll()) {
            firstStart = seed(replay, window, beyond);
        }
        Assembly assembly = new Assembly(window.from());
        assembly.start(replay.value(), firstStart, replay.source());
        if (replay.battery() != null) {
            assembly.battery.add(new BatteryReading(window.from(), replay.battery()));
        }
        if (replay.door() != null) {
            assembly.door.add(new DoorReading(window.from(), replay.door().state(), replay.door().stateCode()));
        }
        for (StoredEvent event : window.events()) {
            Integer batteryBefore = replay.battery();
            Replay.Door doorBefore = replay.door();
            if (!replay.apply(event)) {
                continue;
            }
            Instant at = event.occurredAt().isBefore(window.from()) ? window.from() : event.occurredAt();
            assembly.start(replay.value(), at, event.source());
            if (replay.battery() != null && (event.type().equals("BatteryChanged") || !replay.battery().equals(batteryBefore))) {
                assembly.reading(new BatteryReading(at, replay.battery()));
            }
            if (replay.door() != null && (event.type().equals("DoorStateChanged") || !replay.door().equals(doorBefore))) {
                assembly.reading(new DoorReading(at, replay.door().state(), replay.door().stateCode()));
            }
        }
        return new LockHistory(window, assembly.finish(window.to()), assembly.battery, assembly.door);
    }

    /**
     * Seeds what the events before the window left unknown: from the first events at or after its start (those of
     * the window, then the first of each type after it), else from the lock's copy. Returns where the first interval
     * starts: the window's start, or, for a position only the copy knows, the copy's last change if that is later.
     */
    private static Instant seed(Replay replay, HistoryWindow window, Beyond beyond) {
        for (StoredEvent event : window.events()) {
            if (!replay.seedFrom(event)) {
                return window.from();
            }
        }
        if (replay.knowsAll()) {
            return window.from();
        }
        for (StoredEvent event : beyond.firstAfter().stream().sorted(HistoryWindow.BY_TIME).toList()) {
            if (!replay.seedFrom(event)) {
                return window.from();
            }
        }
        if (replay.knowsAll()) {
            return window.from();
        }
        Optional<MirroredLock> copy = beyond.copy();
        if (copy.isEmpty()) {
            return window.from();
        }
        boolean positionFromCopy = !replay.knowsPosition();
        replay.seedFrom(copy.get());
        Instant changed = copy.get().lastKnown() == null ? null : copy.get().lastKnown().lastStateChangedDate();
        if (!positionFromCopy || changed == null || !changed.isAfter(window.from())) {
            return window.from();
        }
        return changed.isBefore(window.to()) ? changed : window.to();
    }

    /** Start of the range covered, inclusive (moved to the oldest event read when {@link #truncated()}). */
    public Instant from() {
        return from;
    }

    /** End of the range covered, exclusive: never after the time the history was asked for. */
    public Instant to() {
        return to;
    }

    /** Whether the range held more than {@link #MAX_EVENTS} events, so that only its newest part is covered. */
    public boolean truncated() {
        return truncated;
    }

    public List<StateInterval> states() {
        return states;
    }

    public List<BatteryReading> battery() {
        return battery;
    }

    public List<DoorReading> door() {
        return door;
    }

    /** The intervals and readings as they are made. Not thread-safe. */
    private static final class Assembly {
        final List<StateInterval> states = new ArrayList<>();
        final List<BatteryReading> battery = new ArrayList<>();
        final List<DoorReading> door = new ArrayList<>();
        private Replay.Value open;
        private Instant openSince;
        private String openSource;

        Assembly(Instant from) {
            this.openSince = from;
        }

        /** From {@code at} on, the state is {@code value} (null: no lock); a change closes the open interval there. */
        void start(Replay.Value value, Instant at, String source) {
            if (Objects.equals(value, open) && value != null) {
                return;
            }
            close(at);
            open = value;
            openSince = at;
            openSource = source;
        }

        void reading(BatteryReading reading) {
            if (!battery.isEmpty() && battery.get(battery.size() - 1).at().equals(reading.at())) {
                battery.remove(battery.size() - 1); // two in one millisecond: the later holds
            }
            battery.add(reading);
        }

        void reading(DoorReading reading) {
            if (!door.isEmpty() && door.get(door.size() - 1).at().equals(reading.at())) {
                door.remove(door.size() - 1);
            }
            door.add(reading);
        }

        List<StateInterval> finish(Instant end) {
            close(end);
            return states;
        }

        private void close(Instant at) {
            if (open == null || !at.isAfter(openSince)) {
                return; // no lock, or no length
            }
            StateInterval interval = new StateInterval(open.state(), open.stateCode(), open.connected(), openSince, at, openSource);
            int last = states.size() - 1;
            if (last >= 0 && states.get(last).to().equals(openSince) && states.get(last).sameStateAs(interval)) {
                states.set(last, states.get(last).withTo(at));
            } else {
                states.add(interval);
            }
        }
    }
}
