package io.tedeesync.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.MirroredLock;
import java.io.IOException;

/**
 * What a lock's log says of it so far, event by event ({@link #apply}), and, for what the log before a range does
 * not say, what the first events at or after its start say was so before them ({@link #seedFrom}) or, failing
 * those, the lock's current copy ({@link #seedFrom(MirroredLock)}). Each of the four things a history shows (the
 * position, the connection, the battery, the door) is known or not on its own: a log pruned by the retention
 * may have lost one lock's last position but kept its last battery reading. Not thread-safe.
 */
final class Replay {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A lock is known to exist (some event or copy said something of it, and no removal since). */
    private boolean present;
    private boolean connected;
    /** Whether {@link #connected} comes from a connection event (or a copy), not only from a reported position. */
    private boolean connectionKnown;
    /** The last known position's code (kept across a disconnection), or null. */
    private Integer position;
    private boolean positionKnown;
    private Integer battery;
    private boolean batteryKnown;
    private Door door;
    private boolean doorKnown;
    /** The source of the last event that said the position or the connection, or null. */
    private String source;

    /** What the position and the connection say at a time: nothing (no lock known), or a state. */
    record Value(String state, Integer stateCode, boolean connected) {
    }

    record Door(String state, int stateCode) {
    }

    /** Applies the event; false when its JSON does not hold what its type says (nothing changed then). */
    boolean apply(StoredEvent event) {
        JsonNode json = parse(event);
        if (json == null) {
            return false;
        }
        switch (event.type()) {
            case "StateChanged" -> {
                if (!json.path("toCode").isInt()) {
                    return false;
                }
                present = true;
                position = json.path("toCode").intValue();
                positionKnown = true;
                // A position is reported by a connected lock, unless the log says it was not: a position found by the
                // sync after a reconnection is dated when it changed, which may be before the reconnection.
                if (!connectionKnown) {
                    connected = true;
                }
            }
            case "ConnectionChanged" -> {
                if (!json.path("connected").isBoolean()) {
                    return false;
                }
                present = true;
                connected = json.path("connected").booleanValue();
                connectionKnown = true;
            }
            case "Added" -> {
                JsonNode lock = json.path("lock");
                if (!lock.path("isConnected").isBoolean()) {
                    return false;
                }
                present = true;
                connected = lock.path("isConnected").booleanValue();
                connectionKnown = true;
                // -1: the payload carried no position at all (DeviceState.ABSENT), which is not knowing it.
                position = lock.path("stateCode").isInt() && lock.path("stateCode").intValue() >= 0 ? lock.path("stateCode").intValue() : null;
                positionKnown = true;
                if (lock.path("batteryLevel").isInt()) {
                    battery = lock.path("batteryLevel").intValue();
                    batteryKnown = true;
                }
                Door named = namedDoor(lock.path("doorState"));
                if (named != null) {
                    door = named;
                    doorKnown = true;
                }
            }
            case "Removed" -> {
                present = false;
                connected = false;
                position = null;
                battery = null;
                door = null;
                connectionKnown = positionKnown = batteryKnown = doorKnown = true;
            }
            case "BatteryChanged" -> {
                if (!json.path("to").isInt()) {
                    return false;
                }
                battery = json.path("to").intValue();
                batteryKnown = true;
            }
            case "DoorStateChanged" -> {
                if (!json.path("toCode").isInt()) {
                    return false;
                }
                int code = json.path("toCode").intValue();
                door = new Door(DoorState.fromCode(code).name(), code);
                doorKnown = true;
            }
            default -> {
                return false;
            }
        }
        if (event.type().equals("StateChanged") || event.type().equals("ConnectionChanged") || event.type().equals("Added")
                || event.type().equals("Removed")) {
            source = event.source();
        }
        return true;
    }

    /** Whether the position is known (some event or copy said it, null included). */
    boolean knowsPosition() {
        return positionKnown;
    }

    /** Whether the log said all four things, so that nothing is left to seed. */
    boolean knowsAll() {
        return positionKnown && connectionKnown && batteryKnown && doorKnown;
    }

    /**
     * Takes from this event, one of the first at or after the range's start, what was so before it, for what is
     * not known yet: a {@code StateChanged}'s {@code fromCode}, the opposite of a {@code ConnectionChanged}, a
     * {@code BatteryChanged}'s {@code from}, a {@code DoorStateChanged}'s {@code from}. Only the first event of
     * each kind counts (a later one's "before" is the first one's "after"), so a kind is settled by its first
     * event even when that one did not know ({@code from} null). Call in time order.
     *
     * @return false at an {@code Added} or a {@code Removed}: nothing after it says what was before it, and after
     *         an {@code Added} nothing was (the lock did not exist)
     */
    boolean seedFrom(StoredEvent event) {
        if (event.type().equals("Added") || event.type().equals("Removed")) {
            return false;
        }
        JsonNode json = parse(event);
        if (json == null) {
            return true;
        }
        switch (event.type()) {
            case "StateChanged" -> {
                if (!positionKnown && json.path("toCode").isInt()) {
                    positionKnown = true;
                    if (json.path("fromCode").isInt()) {
                        position = json.path("fromCode").intValue();
                        present = true;
                        if (!connectionKnown) {
                            connected = true; // as apply: a lock with a position is connected unless told otherwise
                        }
                        source = event.source();
                    }
                }
            }
            case "ConnectionChanged" -> {
                if (!connectionKnown && json.path("connected").isBoolean()) {
                    connectionKnown = true;
                    connected = !json.path("connected").booleanValue();
                    present = true;
                    if (source == null) {
                        source = event.source();
                    }
                }
            }
            case "BatteryChanged" -> {
                if (!batteryKnown && json.path("to").isInt()) {
                    batteryKnown = true;
                    battery = json.path("from").isInt() ? json.path("from").intValue() : null;
                }
            }
            case "DoorStateChanged" -> {
                if (!doorKnown && json.path("toCode").isInt()) {
                    doorKnown = true;
                    door = namedDoor(json.path("from"));
                }
            }
            default -> {
                // says nothing of what a history shows
            }
        }
        return true;
    }

    /**
     * Takes from the lock's current copy what neither the log before the range nor any event at or after its start
     * said (so it has not changed since the start, as far as the log knows). Its source is none: no event said it.
     */
    void seedFrom(MirroredLock copy) {
        DeviceState now = copy.state();
        if (!positionKnown) {
            positionKnown = true;
            position = now != null && now.stateCode() >= 0 ? now.stateCode() : null;
            present = true;
        }
        if (!connectionKnown) {
            connectionKnown = true;
            connected = copy.connected();
            present = true;
        }
        if (!batteryKnown && copy.lastKnown() != null) {
            batteryKnown = true;
            battery = copy.lastKnown().batteryLevel();
        }
        if (!doorKnown && now != null && now.doorState() != DoorState.UNKNOWN) {
            doorKnown = true;
            door = new Door(now.doorState().name(), now.doorState().code());
        }
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

    Integer battery() {
        return battery;
    }

    Door door() {
        return door;
    }

    /** The source of the last event that said the position or the connection, or null (none did, or a copy did). */
    String source() {
        return source;
    }

    private static JsonNode parse(StoredEvent event) {
        try {
            return JSON.readTree(event.json());
        } catch (IOException e) {
            return null;
        }
    }

    /** A door state an event names; UNKNOWN is left out (it is also what a payload without one shows). */
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
