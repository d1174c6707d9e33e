package io.tedeesync.benchmarks;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DeviceType;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockState;
import io.tedeesync.sync.MergeResult;
import io.tedeesync.sync.Mirror;
import io.tedeesync.sync.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A large account as the get-all returns it: every lock connected, locked, door closed, last moved an
 * hour before {@link #LISTED_AT}, ids from {@link #FIRST_ID}. The benchmarks start their mirror from it.
 * Immutable.
 */
final class Account {
    /** When the engine saw the list (engine clock); every later observation is after it. */
    static final Instant LISTED_AT = Instant.parse("2026-03-02T08:00:00Z");
    static final long FIRST_ID = 100_000;
    static final int LOCKED = LockState.LOCKED.code();
    static final int UNLOCKED = LockState.UNLOCKED.code();
    static final int CLOSED = DoorState.CLOSED.code();

    private final List<Lock> locks;

    private Account(List<Lock> locks) {
        this.locks = List.copyOf(locks);
    }

    static Account ofLocks(int count) {
        List<Lock> locks = new ArrayList<>(count);
        Instant lastMoved = LISTED_AT.minusSeconds(3_600);
        for (int index = 0; index < count; index++) {
            DeviceState state = new DeviceState(LOCKED, CLOSED, batteryOf(index), false, 0, lastMoved);
            locks.add(new Lock(FIRST_ID + index, serialOf(index), "Lock " + index, DeviceType.LOCK_PRO.code(), 1, true,
                    state, null, "owner-identity", "Europe/Warsaw"));
        }
        return new Account(locks);
    }

    static String serialOf(int index) {
        return String.format("%08d-%06d", 10_000_000 + index / 1_000, index % 1_000);
    }

    /** Spread over 50..99 so that battery changes look like real ones, not all from one value. */
    static int batteryOf(int index) {
        return 50 + index % 50;
    }

    List<Lock> locks() {
        return locks;
    }

    int size() {
        return locks.size();
    }

    /** A mirror that has seen the list once; fails loudly if the list did not add every lock. */
    Mirror listedMirror() {
        Mirror mirror = new Mirror("benchmark");
        MergeResult listed = mirror.apply(new Observation.LockList(locks), LISTED_AT);
        if (listed.events().size() != locks.size() || mirror.size() != locks.size()) {
            throw new IllegalStateException("the list added " + listed.events().size() + " of " + locks.size() + " locks");
        }
        return mirror;
    }
}
