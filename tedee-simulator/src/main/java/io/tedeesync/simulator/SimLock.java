package io.tedeesync.simulator;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one simulated lock as the simulator knows it (not as any account sees it).
 *
 * <p>Immutable and thread-safe: the settings map is an unmodifiable copy.
 *
 * @param id the current lock id (changes when the lock is re-added)
 * @param serialNumber the serial number, the lock's stable identity
 * @param name the lock's name
 * @param type the device type: 2 Lock PRO, 4 Lock GO
 * @param stateCode the raw lock state code (6 Locked, 2 Unlocked, ... or any code that was set)
 * @param doorStateCode the raw door state code (0 when no door sensor is paired)
 * @param batteryLevel the battery level in percent
 * @param charging whether the lock is charging
 * @param connected whether the lock is connected to its bridge
 * @param revision the revision of the lock's configuration
 * @param lastStateChangedDate when the lock state last changed, in simulated time
 * @param deviceSettings the device settings, in wire names ({@code autoPullSpringEnabled}, ...)
 * @param present whether the lock is on its owner's account (false after {@code removeLock})
 */
public record SimLock(
        long id,
        String serialNumber,
        String name,
        int type,
        int stateCode,
        int doorStateCode,
        int batteryLevel,
        boolean charging,
        boolean connected,
        int revision,
        Instant lastStateChangedDate,
        Map<String, Object> deviceSettings,
        boolean present) {

    public SimLock {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastStateChangedDate, "lastStateChangedDate");
        // Keep the wire order of the settings: it is what a reader compares with the docs.
        deviceSettings = Collections.unmodifiableMap(new LinkedHashMap<>(deviceSettings));
    }
}
