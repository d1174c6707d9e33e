package io.tedeesync.mqtt;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DeviceType;
import io.tedeesync.client.LockSettings;
import io.tedeesync.mqtt.LockTopics.Entity;
import io.tedeesync.sync.MirroredLock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant's MQTT discovery configs of one lock: the {@code lock} entity, a battery {@code sensor}, and
 * {@code binary_sensor}s for charging and (with a door sensor paired) the door, all on one device identified by
 * {@code tedee_<serial>} ({@code serial_number} is the serial itself). {@code payload_open} only when the lock can
 * be pulled (its pull spring is not off). Options as documented at https://www.home-assistant.io/integrations/lock.mqtt/,
 * .../sensor.mqtt/, .../binary_sensor.mqtt/ and https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery;
 * the tests hold them to a schema transcribed from those pages. An entity that does not apply has an empty config,
 * which removes it.
 */
final class DiscoveryConfigs {
    private static final String ORIGIN = "tedee-sync";

    private DiscoveryConfigs() {
    }

    static Map<String, String> of(MirroredLock lock, LockTopics topics) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(topics.config(Entity.LOCK), LockMessages.json(lock(lock, topics)));
        configs.put(topics.config(Entity.BATTERY), LockMessages.json(battery(lock, topics)));
        configs.put(topics.config(Entity.CHARGING), LockMessages.json(charging(lock, topics)));
        DeviceState known = lock.lastKnown();
        configs.put(topics.config(Entity.DOOR), known != null && known.hasDoorSensor() ? LockMessages.json(door(lock, topics)) : "");
        return configs;
    }

    private static Map<String, Object> lock(MirroredLock lock, LockTopics topics) {
        Map<String, Object> config = common(lock, topics, "tedee_" + topics.key(), null);
        config.put("state_topic", topics.state());
        config.put("json_attributes_topic", topics.attributes());
        config.put("command_topic", topics.command());
        config.put("payload_lock", "LOCK");
        config.put("payload_unlock", "UNLOCK");
        if (canOpen(lock)) {
            config.put("payload_open", "OPEN");
        }
        config.put("payload_reset", LockStatePayload.UNKNOWN.name());
        config.put("state_locked", LockStatePayload.LOCKED.name());
        config.put("state_unlocked", LockStatePayload.UNLOCKED.name());
        config.put("state_locking", LockStatePayload.LOCKING.name());
        config.put("state_unlocking", LockStatePayload.UNLOCKING.name());
        config.put("state_jammed", LockStatePayload.JAMMED.name());
        config.put("state_open", LockStatePayload.OPEN.name());
        config.put("state_opening", LockStatePayload.OPENING.name());
        config.put("optimistic", false);
        config.put("qos", 1);
        config.put("retain", false);
        return config;
    }

    private static Map<String, Object> battery(MirroredLock lock, LockTopics topics) {
        Map<String, Object> config = fromAttributes(lock, topics, Entity.BATTERY, "Battery", "{{ value_json.battery }}", "battery");
        config.put("unit_of_measurement", "%");
        config.put("state_class", "measurement");
        config.put("entity_category", "diagnostic");
        return config;
    }

    private static Map<String, Object> charging(MirroredLock lock, LockTopics topics) {
        Map<String, Object> config = onOff(lock, topics, Entity.CHARGING, "Charging",
                "{{ 'None' if value_json.charging is none else ('ON' if value_json.charging else 'OFF') }}", "battery_charging");
        config.put("entity_category", "diagnostic");
        return config;
    }

    private static Map<String, Object> door(MirroredLock lock, LockTopics topics) {
        return onOff(lock, topics, Entity.DOOR, "Door",
                "{{ 'ON' if value_json.door == 'open' else ('OFF' if value_json.door == 'closed' else 'None') }}", "door");
    }

    /** A {@code binary_sensor} read from the attributes: the template says {@code ON}, {@code OFF} or {@code None} (unknown). */
    private static Map<String, Object> onOff(MirroredLock lock, LockTopics topics, Entity entity, String name, String template,
            String deviceClass) {
        Map<String, Object> config = fromAttributes(lock, topics, entity, name, template, deviceClass);
        config.put("payload_on", "ON");
        config.put("payload_off", "OFF");
        return config;
    }

    /** An entity whose value is one key of the lock's attributes JSON. */
    private static Map<String, Object> fromAttributes(MirroredLock lock, LockTopics topics, Entity entity, String name, String template,
            String deviceClass) {
        Map<String, Object> config = common(lock, topics, "tedee_" + topics.key() + "_" + entity.objectId, name);
        config.put("state_topic", topics.attributes());
        config.put("value_template", template);
        config.put("device_class", deviceClass);
        return config;
    }

    /** Identity, availability (the service and the lock, both needed), attributes and the device block of every entity. */
    private static Map<String, Object> common(MirroredLock lock, LockTopics topics, String uniqueId, String name) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("unique_id", uniqueId);
        config.put("name", name); // null: the entity is named after the device (the lock itself)
        config.put("availability", List.of(
                Map.of("topic", LockTopics.status(topics.prefix()), "payload_available", LockMessages.ONLINE,
                        "payload_not_available", LockMessages.OFFLINE),
                Map.of("topic", topics.availability(), "payload_available", LockMessages.ONLINE,
                        "payload_not_available", LockMessages.OFFLINE)));
        config.put("availability_mode", "all");
        Map<String, Object> device = new LinkedHashMap<>();
        // Prefixed, so that another integration's device named by the bare serial is not merged with ours.
        device.put("identifiers", List.of("tedee_" + lock.serialNumber()));
        device.put("manufacturer", "Tedee");
        device.put("model", model(lock));
        device.put("name", lock.name());
        device.put("serial_number", lock.serialNumber());
        config.put("device", device);
        config.put("origin", Map.of("name", ORIGIN));
        return config;
    }

    /**
     * Whether the lock may be opened (pulled): unless its settings say the pull spring is off. Settings not known, or
     * without the field, count as yes (Tedee then decides, and answers).
     */
    static boolean canOpen(MirroredLock lock) {
        LockSettings settings = lock.settings();
        return settings == null || !Boolean.FALSE.equals(settings.pullSpringEnabled());
    }

    /** Tedee's product name for the device type ("Lock PRO", "Lock GO"), or the type's name for the others. */
    static String model(MirroredLock lock) {
        DeviceType type = lock.type();
        switch (type) {
            case LOCK_PRO: return "Lock PRO";
            case LOCK_GO: return "Lock GO";
            case UNKNOWN: return "Tedee device (type " + lock.typeCode() + ")";
            default: return type.name();
        }
    }
}
