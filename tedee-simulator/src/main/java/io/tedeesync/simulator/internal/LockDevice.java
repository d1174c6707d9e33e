package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.SimLock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One physical lock (identified by its serial number) and its record in the cloud.
 *
 * <p>Not thread-safe: the {@link World}'s monitor guards every field.
 */
final class LockDevice {

    final String serial;
    final String owner;
    final int type;
    final Long bridgeId;
    /** Account name to access level, in the order access was granted (webhooks go out in this order). */
    final Map<String, Integer> access = new LinkedHashMap<>();
    /** Every position and connection change, from the one it was added with. */
    final StateHistory history;
    /**
     * The device settings in wire order, never changed in place: a change replaces the map, so a view
     * can share it without a copy.
     */
    Map<String, Object> settings = Collections.unmodifiableMap(defaultSettings());

    long id;
    boolean present = true;
    String name;
    int state = LockCodes.LOCKED;
    int door = LockCodes.DOOR_NOT_PAIRED;
    int battery = 90;
    boolean charging;
    boolean connected = true;
    int revision = 1;
    int targetDeviceRevision = 1;
    int deviceRevision = 1;
    int stateChangeResult;
    Instant lastStateChangedDate;
    Instant created;
    /**
     * Bumped by every change that did not come from an operation (a hand on the knob, removal), so
     * an operation still in flight knows the world moved under it and gives up.
     */
    long motionGeneration;

    LockDevice(long id, String serial, String name, String owner, int type, Long bridgeId, Instant now,
            StateHistory history) {
        this.id = id;
        this.serial = serial;
        this.name = name;
        this.owner = owner;
        this.type = type;
        this.bridgeId = bridgeId;
        this.lastStateChangedDate = now;
        this.created = now;
        access.put(owner, LockCodes.ACCESS_OWNER);
        this.history = history;
        history.record(now, state, connected);
    }

    /** The values of the sample in endpoints/lock/get-all.rst, except a 2 s pull spring. */
    private static Map<String, Object> defaultSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("autoLockEnabled", false);
        settings.put("autoLockDelay", 10);
        settings.put("autoLockImplicitEnabled", false);
        settings.put("autoLockImplicitDelay", 10);
        settings.put("pullSpringEnabled", true);
        settings.put("pullSpringDuration", 2);
        settings.put("autoPullSpringEnabled", false);
        settings.put("postponedLockEnabled", false);
        settings.put("postponedLockDelay", 10);
        settings.put("buttonLockEnabled", true);
        settings.put("buttonUnlockEnabled", true);
        settings.put("isAsync", false);
        settings.put("openDoorAlertEnabled", false);
        settings.put("openDoorAlertThreshold", 300);
        settings.put("autoLockAfterDoorClosedEnabled", false);
        settings.put("doorStateEventLoggingEnabled", false);
        return settings;
    }

    /** Merges changed settings (wire names) into a new map. */
    void changeSettings(Map<String, Object> changes) {
        Map<String, Object> merged = new LinkedHashMap<>(settings);
        merged.putAll(changes);
        settings = Collections.unmodifiableMap(merged);
    }

    boolean booleanSetting(String key) {
        return Boolean.TRUE.equals(settings.get(key));
    }

    long pullSpringSeconds() {
        return settings.get("pullSpringDuration") instanceof Number seconds ? Math.max(0, seconds.longValue()) : 2;
    }

    SimLock snapshot() {
        return new SimLock(id, serial, name, type, state, door, battery, charging, connected, revision,
                lastStateChangedDate, settings, present);
    }

    LockView viewFor(String account, String ownerIdentity) {
        return new LockView(id, serial, name, type, ownerIdentity, access.get(account), revision, deviceRevision,
                targetDeviceRevision, connected, bridgeId, created, settings, state, door,
                charging, battery, stateChangeResult, lastStateChangedDate);
    }
}
