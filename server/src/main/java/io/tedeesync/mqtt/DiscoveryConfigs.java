package io.tedeesync.mqtt;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DeviceType;
import io.tedeesync.mqtt.LockTopics.Entity;
import io.tedeesync.sync.MirroredLock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant's MQTT discovery configs of one lock: the {@code lock} entity, a battery {@code sensor}, and
 * {@code binary_sensor}s for charging and (with a door sensor paired) the door, all on one device identified by
 * the serial number. Options as documented at https://www.home-assistant.io/integrations/lock.mqtt/,
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
        config.put("payload_open", "OPEN");
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
        Map<String, Object> config = common(lock, topics, "tedee_" + topics.key() + "_battery", "Battery");
        config.put("state_topic", topics.attributes());
        config.put("value_template", "{{ value_json.battery }}");
        config.put("device_class", "battery");
        config.put("unit_of_measurement", "%");
        config.put("state_class", "measurement");
        config.put("entity_category", "diagnostic");
        return config;
    }

    private static Map<String, Object> charging(MirroredLock lock, LockTopics topics) {
        Map<String, Object> config = common(lock, topics, "tedee_" + topics.key() + "_charging", "Charging");
        config.put("state_topic", topics.attributes());
        config.put("value_template", "{{ 'None' if value_json.charging is none else ('ON' if value_json.charging else 'OFF') }}");
        config.put("payload_on", "ON");
        config.put("payload_off", "OFF");
        config.put("device_class", "battery_charging");
        config.put("entity_category", "diagnostic");
        return config;
    }

    private static Map<String, Object> door(MirroredLock lock, LockTopics topics) {
        Map<String, Object> config = common(lock, topics, "tedee_" + topics.key() + "_door", "Door");
        config.put("state_topic", topics.attributes());
        config.put("value_template",
                "{{ 'ON' if value_json.door == 'open' else ('OFF' if value_json.door == 'closed' else 'None') }}");
        config.put("payload_on", "ON");
        config.put("payload_off", "OFF");
        config.put("device_class", "door");
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
        device.put("identifiers", List.of(lock.serialNumber()));
        device.put("manufacturer", "Tedee");
        device.put("model", model(lock));
        device.put("name", lock.name());
        device.put("serial_number", lock.serialNumber());
        config.put("device", device);
        config.put("origin", Map.of("name", ORIGIN));
        return config;
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
