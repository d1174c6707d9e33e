package io.tedeesync.simulator.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The locks of the demo account: realistic names, serials like {@code 221104-38211}, a mix of
 * states and batteries, and a door sensor on the first lock. The same seed gives the same locks.
 * Stateless and thread-safe.
 */
public final class DemoWorld {

    /** One demo lock to add. Immutable. */
    public record DemoLock(String serial, String name, int state, int doorState, int batteryLevel, boolean charging) {}

    private static final List<String> NAMES = List.of(
            "Front door", "Back door", "Garage", "Office", "Cellar", "Guest room", "Studio", "Shed");
    private static final int[] STATES = {
        LockCodes.LOCKED, LockCodes.UNLOCKED, LockCodes.LOCKED, LockCodes.SEMI_LOCKED, LockCodes.LOCKED
    };

    private DemoWorld() {}

    public static List<DemoLock> plan(int lockCount, long seed) {
        if (lockCount < 0) {
            throw new IllegalArgumentException("lockCount must not be negative");
        }
        Random random = new Random(seed);
        Set<String> serials = new HashSet<>();
        List<DemoLock> locks = new ArrayList<>();
        for (int i = 0; i < lockCount; i++) {
            String serial;
            do {
                serial = String.format("2211%02d-%05d", random.nextInt(100), random.nextInt(100_000));
            } while (!serials.add(serial));
            String name = i < NAMES.size() ? NAMES.get(i) : "Lock " + (i + 1);
            int battery = 12 + random.nextInt(89);
            boolean charging = battery < 20;
            int door = i == 0 ? LockCodes.DOOR_CLOSED : LockCodes.DOOR_NOT_PAIRED;
            locks.add(new DemoLock(serial, name, STATES[i % STATES.length], door, battery, charging));
        }
        return locks;
    }
}
