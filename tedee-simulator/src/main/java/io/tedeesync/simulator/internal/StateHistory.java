package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.SimStateChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One lock's position and connection changes, oldest first: the latest {@code capacity} of them.
 *
 * <p>A ring of primitive columns that grows by doubling up to the capacity, so a demo of thousands of
 * quiet locks costs a few bytes each and a busy lock at most 17 bytes a change. A change that repeats
 * the last one (a knob set to where it already is) is not a change and is not kept.
 *
 * <p>Not thread-safe: the {@link World}'s monitor guards it.
 */
final class StateHistory {

    private static final int FIRST_SIZE = 8;

    private final int capacity;
    private long[] seconds = new long[0];
    private int[] nanos = new int[0];
    private int[] codes = new int[0];
    private boolean[] connected = new boolean[0];
    private int start;
    private int size;

    StateHistory(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("The state history capacity must not be negative");
        }
        this.capacity = capacity;
    }

    void record(Instant at, int stateCode, boolean isConnected) {
        if (capacity == 0) {
            return;
        }
        if (size > 0) {
            int last = (start + size - 1) % codes.length;
            if (codes[last] == stateCode && connected[last] == isConnected) {
                return;
            }
        }
        if (size == codes.length && codes.length < capacity) {
            grow(Math.min(capacity, Math.max(FIRST_SIZE, codes.length * 2)));
        }
        int slot;
        if (size == codes.length) { // full at capacity: the oldest goes
            slot = start;
            start = (start + 1) % codes.length;
        } else {
            slot = (start + size) % codes.length;
            size++;
        }
        seconds[slot] = at.getEpochSecond();
        nanos[slot] = at.getNano();
        codes[slot] = stateCode;
        connected[slot] = isConnected;
    }

    List<SimStateChange> toList() {
        List<SimStateChange> changes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int slot = (start + i) % codes.length;
            changes.add(new SimStateChange(Instant.ofEpochSecond(seconds[slot], nanos[slot]), codes[slot], connected[slot]));
        }
        return changes;
    }

    /** Copies the ring into larger columns, oldest first from slot 0. */
    private void grow(int length) {
        long[] newSeconds = new long[length];
        int[] newNanos = new int[length];
        int[] newCodes = new int[length];
        boolean[] newConnected = new boolean[length];
        for (int i = 0; i < size; i++) {
            int slot = (start + i) % codes.length;
            newSeconds[i] = seconds[slot];
            newNanos[i] = nanos[slot];
            newCodes[i] = codes[slot];
            newConnected[i] = connected[slot];
        }
        seconds = newSeconds;
        nanos = newNanos;
        codes = newCodes;
        connected = newConnected;
        start = 0;
    }
}
