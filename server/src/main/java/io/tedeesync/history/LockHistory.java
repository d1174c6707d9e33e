package io.tedeesync.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import io.tedeesync.store.StoredEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A lock's history over a time range, assembled from its event log: its position and connection as consecutive
 * {@link StateInterval}s, its battery levels and door states as readings. Pure: it reads nothing but the events
 * it is given, the ones in effect before the range and the ones in it ({@link HistoryWindow}).
 *
 * <p>The rules, in the order of the events (the time they happened, ties in log order):
 * <ul>
 *   <li>The first interval starts at the range's start, with what was in effect then; its source is that of the
 *       last event before the range that said the state. A later one starts at each event that changed the
 *       position or the connection, with that event's source. Each ends where the next starts, the last at the
 *       range's end. Adjacent intervals that say the same (position, code, connection) are one; an interval of
 *       no length (two changes in one millisecond) is left out.</li>
 *   <li>{@code StateChanged} sets the position ({@code toCode}; the name is its {@link LockState}'s) of a lock
 *       that is then connected. {@code ConnectionChanged} sets the connection: while disconnected the position
 *       is null; on reconnecting the last known position holds again, as the lock view shows it after the
 *       reconnecting sync, which emits no event when the position did not change meanwhile.</li>
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
    /** The most events a history reads from its range: the newest; past it the range is truncated. */
    public static final int MAX_EVENTS = 50_000;
    /** The event types a history is made of. */
    public static final Set<String> TYPES =
            Set.of("Added", "Removed", "StateChanged", "ConnectionChanged", "BatteryChanged", "DoorStateChanged");
    /**
     * What the events before a range must hold for the history to know what was in effect at its start: for each
     * of these sets, the last event of it before the start ({@code EventHistory.lastBefore}). Each set holds every
     * type that sets what it is about, so that replaying the last of each, in time order, ends where the whole
     * log would.
     */
    public static final List<Set<String>> IN_EFFECT = List.of(
            Set.of("Added", "Removed", "StateChanged"),
            Set.of("Added", "Removed", "ConnectionChanged"),
            Set.of("Added", "Removed", "BatteryChanged"),
            Set.of("Added", "Removed", "DoorStateChanged"));
    private static final Set<String> STATE_TYPES = Set.of("Added", "Removed", "StateChanged", "ConnectionChanged");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Instant from;
    private final Instant to;
    private final boolean truncated;
    private final List<StateInterval> states;
    private final List<BatteryReading> battery;
    private final List<DoorReading> door;

    private LockHistory(HistoryWindow window, List<StateInterval> states, List<BatteryReading> battery, List<DoorReading> door) {
        this.from = window.from();
        this.to = window.to();
        this.truncated = window.truncated();
        this.states = List.copyOf(states);
        this.battery = List.copyOf(battery);
        this.door = List.copyOf(door);
    }

    /**
     * The history of the window's range.
     *
     * @param before events that happened before the window's start (any of them, in any order; the last of each of
     *               {@link #IN_EFFECT} is enough); later ones are not taken
     */
    public static LockHistory of(List<StoredEvent> before, HistoryWindow window) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(window, "window");
        Replay replay = new Replay();
        String source = null;
        for (StoredEvent event : before.stream().filter(e -> e.occurredAt().isBefore(window.from())).sorted(HistoryWindow.BY_TIME).toList()) {
            if (replay.apply(event) && STATE_TYPES.contains(event.type())) {
                source = event.source();
            }
        }
        Assembly assembly = new Assembly(window.from());
        assembly.start(replay.value(), window.from(), source);
        if (replay.battery != null) {
            assembly.battery.add(new BatteryReading(window.from(), replay.battery));
        }
        if (replay.door != null) {
            assembly.door.add(new DoorReading(window.from(), replay.door.state(), replay.door.stateCode()));
        }
        for (StoredEvent event : window.events()) {
            Integer batteryBefore = replay.battery;
            Door doorBefore = replay.door;
            if (!replay.apply(event)) {
                continue;
            }
            Instant at = event.occurredAt().isBefore(window.from()) ? window.from() : event.occurredAt();
            assembly.start(replay.value(), at, event.source());
            if (replay.battery != null && (event.type().equals("BatteryChanged") || !replay.battery.equals(batteryBefore))) {
                assembly.reading(new BatteryReading(at, replay.battery));
            }
            if (replay.door != null && (event.type().equals("DoorStateChanged") || !replay.door.equals(doorBefore))) {
                assembly.reading(new DoorReading(at, replay.door.state(), replay.door.stateCode()));
            }
        }
        return new LockHistory(window, assembly.finish(window.to()), assembly.battery, assembly.door);
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

    /** What the position and the connection say at a time: nothing (no lock known), or a state. */
    private record Value(String state, Integer stateCode, boolean connected) {
    }

    private record Door(String state, int stateCode) {
    }

    /** What the log says so far, event by event. Not thread-safe. */
    private static final class Replay {
        boolean present;
        boolean connected;
        /** The last known position's code (kept across a disconnection), or null. */
        Integer position;
        Integer battery;
        Door door;

        /** Applies the event; false when its JSON does not hold what its type says (nothing changed then). */
        boolean apply(StoredEvent event) {
            JsonNode json;
            try {
                json = JSON.readTree(event.json());
            } catch (IOException e) {
                return false;
            }
            if (json == null) {
                return false;
            }
            switch (event.type()) {
                case "StateChanged" -> {
                    if (!json.path("toCode").isInt()) {
                        return false;
                    }
                    present = true;
                    connected = true;
                    position = json.path("toCode").intValue();
                }
                case "ConnectionChanged" -> {
                    if (!json.path("connected").isBoolean()) {
                        return false;
                    }
                    present = true;
                    connected = json.path("connected").booleanValue();
                }
                case "Added" -> {
                    JsonNode lock = json.path("lock");
                    if (!lock.path("isConnected").isBoolean()) {
                        return false;
                    }
                    present = true;
                    connected = lock.path("isConnected").booleanValue();
                    // -1: the payload carried no position at all (DeviceState.ABSENT), which is not knowing it.
                    position = lock.path("stateCode").isInt() && lock.path("stateCode").intValue() >= 0 ? lock.path("stateCode").intValue() : null;
                    if (lock.path("batteryLevel").isInt()) {
                        battery = lock.path("batteryLevel").intValue();
                    }
                    Door named = namedDoor(lock.path("doorState"));
                    if (named != null) {
                        door = named;
                    }
                }
                case "Removed" -> {
                    present = false;
                    connected = false;
                    position = null;
                    battery = null;
                    door = null;
                }
                case "BatteryChanged" -> {
                    if (!json.path("to").isInt()) {
                        return false;
                    }
                    battery = json.path("to").intValue();
                }
                case "DoorStateChanged" -> {
                    if (!json.path("toCode").isInt()) {
                        return false;
                    }
                    int code = json.path("toCode").intValue();
                    door = new Door(DoorState.fromCode(code).name(), code);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** The state now, or null for no lock. */
        Value value() {
            if (!present) {
                return null;
            }
            if (!connected || position == null) {
                return new Value(null, null, connected);
            }
            return new Value(LockState.fromCode(position).name(), position, true);
        }

        /** A door state {@code Added}'s view names; UNKNOWN is left out (it is also what a payload without one shows). */
        private static Door namedDoor(JsonNode name) {
            if (!name.isTextual()) {
                return null;
            }
            for (DoorState state : DoorState.values()) {
                if (state != DoorState.UNKNOWN && state.name().equals(name.textValue())) {
                    return new Door(state.name(), state.code());
                }
            }
            return null;
        }
    }

    /** The intervals and readings as they are made. Not thread-safe. */
    private static final class Assembly {
        final List<StateInterval> states = new ArrayList<>();
        final List<BatteryReading> battery = new ArrayList<>();
        final List<DoorReading> door = new ArrayList<>();
        private Value open;
        private Instant openSince;
        private String openSource;

        Assembly(Instant from) {
            this.openSince = from;
        }

        /** From {@code at} on, the state is {@code value} (null: no lock); a change closes the open interval there. */
        void start(Value value, Instant at, String source) {
            if (Objects.equals(value, open) && value != null) {
                return;
            }
            close(at);
            open = value;
            openSince = at;
            openSource = source == null ? "UNKNOWN" : source;
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
