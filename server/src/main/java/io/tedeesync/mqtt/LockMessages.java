package io.tedeesync.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DoorState;
import io.tedeesync.sync.MirroredLock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The retained messages that describe one lock now: its state, attributes and availability, and (with discovery)
 * its Home Assistant configs. A pure function of the lock and whether it is stale, so that the bridge can compare
 * with what it published and send only what changed.
 */
final class LockMessages {
    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LockMessages() {
    }

    /** Topic to payload, in the order to publish them (the configs first, so that Home Assistant listens before the state comes). */
    static Map<String, String> of(MirroredLock lock, boolean stale, LockTopics topics) {
        Map<String, String> messages = new LinkedHashMap<>();
        if (topics.discoveryPrefix() != null) {
            messages.putAll(DiscoveryConfigs.of(lock, topics));
        }
        messages.put(topics.state(), LockStatePayload.of(lock).name());
        messages.put(topics.attributes(), json(attributes(lock, stale)));
        messages.put(topics.availability(), available(lock, stale) ? ONLINE : OFFLINE);
        return messages;
    }

    /** Online: connected, fresh, and not waiting for its calibration in the Tedee app (it could not be operated). */
    static boolean available(MirroredLock lock, boolean stale) {
        return lock.connected() && !stale && LockStatePayload.operable(lock.state());
    }

    /** The attributes JSON; keys are documented in the README. */
    static Map<String, Object> attributes(MirroredLock lock, boolean stale) {
        DeviceState known = lock.lastKnown();
        DeviceState now = lock.state();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("serialNumber", lock.serialNumber());
        attributes.put("name", lock.name());
        attributes.put("account", lock.account());
        attributes.put("model", DiscoveryConfigs.model(lock));
        attributes.put("battery", known == null ? null : known.batteryLevel());
        attributes.put("charging", known == null ? null : known.charging());
        attributes.put("door", now == null ? null : door(now));
        attributes.put("connected", lock.connected());
        attributes.put("stale", stale);
        attributes.put("tedeeState", now == null ? null : now.state().name());
        attributes.put("tedeeStateCode", now == null || now.stateCode() == DeviceState.ABSENT ? null : now.stateCode());
        attributes.put("stateChangeResult", now == null ? null : now.stateChangeResult());
        attributes.put("lastKnownState", known == null || known.stateCode() == DeviceState.ABSENT ? null : known.state().name());
        Instant lastChange = known == null ? null : known.lastStateChangedDate();
        attributes.put("lastChange", lastChange == null ? null : lastChange.toString());
        return attributes;
    }

    /** {@code open}, {@code closed}, {@code disconnected} (the sensor), {@code uncalibrated}, {@code unknown}; null without a door sensor. */
    static String door(DeviceState state) {
        if (!state.hasDoorSensor()) {
            return null;
        }
        DoorState door = state.doorState();
        switch (door) {
            case OPENED: return "open";
            case CLOSED: return "closed";
            case DISCONNECTED: return "disconnected";
            case UNCALIBRATED: return "uncalibrated";
            default: return "unknown";
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings, numbers and booleans always serialize", e);
        }
    }
}
