package io.tedeesync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tedeesync.client.DeviceState;
import io.tedeesync.store.internal.Json;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEvent;
import java.time.Instant;
import java.util.List;

/**
 * Writes a {@link SyncEvent} as one flat JSON object, the same for the event log and for live events:
 *
 * <pre>{"id":7,"type":"StateChanged","account":"home","serialNumber":"SN1","lockId":42,
 *  "occurredAt":"2024-05-01T10:00:00Z","observedAt":"2024-05-01T10:00:01Z","source":"SYNC",
 *  "from":"LOCKED","fromCode":6,"to":"UNLOCKED","toCode":2}</pre>
 *
 * <p>The header ({@code id} when known, {@code type}, {@code account}, {@code serialNumber},
 * {@code lockId}, {@code occurredAt}, {@code observedAt}, {@code source}) is always present, with
 * null serial and id for account events, whose {@code occurredAt} is their {@code observedAt}. Then
 * come the event's own fields, enums by name and times in ISO-8601. {@code Added} carries a compact
 * {@code lock} view: {@code name}, {@code state}, {@code stateCode}, {@code doorState} (null while the
 * position is not known now, see {@link MirroredLock#state()}), {@code batteryLevel},
 * {@code isCharging} (as last reported), {@code isConnected}, {@code revision}.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventCodec {
    private static final List<String> HEADER =
            List.of("id", "type", "account", "serialNumber", "lockId", "occurredAt", "observedAt", "source");

    private EventCodec() {
    }

    /** The event's JSON without an id (a live event not yet stored). */
    public static String toJson(SyncEvent event) {
        return write(toNode(null, event));
    }

    /** The event's JSON with its id in the event log. */
    public static String toJson(long id, SyncEvent event) {
        return write(toNode(id, event));
    }

    /** The event's type as it appears in the JSON and in {@link StoredEvent#type()}, e.g. {@code StateChanged}. */
    public static String type(SyncEvent event) {
        return event.getClass().getSimpleName();
    }

    /** When the event happened: the API's time for a lock event, the observation time for an account event. */
    public static Instant occurredAt(SyncEvent event) {
        return event instanceof LockEvent lockEvent ? lockEvent.occurredAt() : event.observedAt();
    }

    private static ObjectNode toNode(Long id, SyncEvent event) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (id != null) {
            node.put("id", id);
        }
        node.put("type", type(event));
        node.put("account", event.account());
        if (event instanceof LockEvent lockEvent) {
            node.put("serialNumber", lockEvent.serialNumber());
            node.put("lockId", lockEvent.lockId());
        } else {
            node.putNull("serialNumber");
            node.putNull("lockId");
        }
        node.put("occurredAt", iso(occurredAt(event)));
        node.put("observedAt", iso(event.observedAt()));
        node.put("source", event.source() == null ? null : event.source().name());
        if (event instanceof LockEvent.Added added) {
            node.set("lock", lockView(added.lock()));
        } else {
            // The record's own components, whatever they are: a field added to an event later is not lost.
            JsonNode fields = Json.MAPPER.valueToTree(event);
            for (var field : fields.properties()) {
                if (!HEADER.contains(field.getKey())) {
                    node.set(field.getKey(), field.getValue());
                }
            }
        }
        return node;
    }

    private static ObjectNode lockView(MirroredLock lock) {
        if (lock == null) {
            return null;
        }
        ObjectNode view = Json.MAPPER.createObjectNode();
        DeviceState current = lock.state();
        DeviceState lastKnown = lock.lastKnown();
        view.put("name", lock.name());
        view.put("state", current == null ? null : current.state().name());
        view.put("stateCode", current == null ? null : current.stateCode());
        view.put("doorState", current == null ? null : current.doorState().name());
        view.put("batteryLevel", lastKnown == null ? null : lastKnown.batteryLevel());
        view.put("isCharging", lastKnown == null ? null : lastKnown.charging());
        view.put("isConnected", lock.connected());
        view.put("revision", lock.revision());
        return view;
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String write(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event as JSON: " + e.getMessage(), e);
        }
    }
}
