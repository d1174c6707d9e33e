package io.tedeesync.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The topics of one lock. A serial number is used as it is when it holds only {@code [A-Za-z0-9_-]} (Tedee's do);
 * any other character becomes {@code _}, so that no serial can add a topic level or a wildcard, and the same key
 * serves as Home Assistant's node id, which allows only those characters.
 *
 * @param prefix          the service's topic prefix
 * @param discoveryPrefix Home Assistant's discovery prefix, or null (no discovery)
 * @param key             the serial number as a topic level
 */
record LockTopics(String prefix, String discoveryPrefix, String key) {
    private static final Pattern NOT_A_KEY_CHARACTER = Pattern.compile("[^A-Za-z0-9_-]");

    /** The discovery components of a lock, and their object ids under the lock's node. */
    enum Entity {
        LOCK("lock", null), BATTERY("sensor", "battery"), CHARGING("binary_sensor", "charging"), DOOR("binary_sensor", "door");

        final String component;
        /** Null for the lock itself, whose config is {@code <discovery>/lock/<serial>/config}. */
        final String objectId;

        Entity(String component, String objectId) {
            this.component = component;
            this.objectId = objectId;
        }
    }

    static LockTopics of(MqttSettings settings, String serialNumber) {
        return new LockTopics(settings.topicPrefix(), settings.discoveryPrefix(), keyOf(serialNumber));
    }

    static String keyOf(String serialNumber) {
        return NOT_A_KEY_CHARACTER.matcher(serialNumber).replaceAll("_");
    }

    /** The service's own status topic: {@code online} retained, {@code offline} as the last will and at a clean stop. */
    static String status(String prefix) {
        return prefix + "/status";
    }

    /** The filter that takes the commands of every lock. */
    static String commandFilter(String prefix) {
        return prefix + "/+/set";
    }

    /** The lock key in a command topic, or null when the topic is not one. */
    static String keyOfCommandTopic(String prefix, String topic) {
        String start = prefix + "/";
        if (!topic.startsWith(start) || !topic.endsWith("/set")) {
            return null;
        }
        String key = topic.substring(start.length(), topic.length() - "/set".length());
        return key.isEmpty() || key.contains("/") ? null : key;
    }

    String state() {
        return prefix + "/" + key + "/state";
    }

    String attributes() {
        return prefix + "/" + key + "/attributes";
    }

    String availability() {
        return prefix + "/" + key + "/availability";
    }

    String command() {
        return prefix + "/" + key + "/set";
    }

    String operation() {
        return prefix + "/" + key + "/operation";
    }

    /** Home Assistant's discovery config topic of one of the lock's entities. */
    String config(Entity entity) {
        return entity.objectId == null
                ? discoveryPrefix + "/" + entity.component + "/" + key + "/config"
                : discoveryPrefix + "/" + entity.component + "/" + key + "/" + entity.objectId + "/config";
    }

    /** Every retained topic the service may have published for this lock (to clear them when the lock is removed). */
    List<String> retained() {
        List<String> topics = new ArrayList<>(List.of(state(), attributes(), availability()));
        if (discoveryPrefix != null) {
            for (Entity entity : Entity.values()) {
                topics.add(config(entity));
            }
        }
        return topics;
    }
}
