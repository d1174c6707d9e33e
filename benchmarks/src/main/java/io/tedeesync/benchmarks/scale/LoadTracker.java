package io.tedeesync.benchmarks.scale;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of the expected locks the service has loaded, by their {@code Added} events on the stream (on a
 * fresh data directory every lock's first listing is one), and when the last one arrived. Written by the
 * stream's thread only (or once by the rig's, {@link #listed}, when the stream shows no Added event), read by any.
 */
final class LoadTracker {
    private final Set<String> expected;
    private final Set<String> seen = new HashSet<>();
    private volatile int loaded;
    private volatile long completedNanos;
    private volatile boolean byList;

    LoadTracker(List<String> serials) {
        this.expected = Set.copyOf(serials);
    }

    /** On the stream's thread. */
    void added(String serial, long arrivalNanos) {
        if (expected.contains(serial) && seen.add(serial)) {
            if (seen.size() == expected.size()) {
                completedNanos = arrivalNanos; // before the count that says so
            }
            loaded = seen.size();
        }
    }

    /** Every lock was counted by another means (the list) at this moment; the stream showed none. */
    void listed(long nanos) {
        completedNanos = nanos;
        byList = true;
        loaded = expected.size();
    }

    /** Whether the load was seen by counting the list rather than by the stream. */
    boolean byList() {
        return byList;
    }

    int loaded() {
        return loaded;
    }

    boolean complete() {
        return loaded == expected.size();
    }

    /** When the last expected lock's event arrived ({@link System#nanoTime()}); meaningful once complete. */
    long completedNanos() {
        return completedNanos;
    }
}
