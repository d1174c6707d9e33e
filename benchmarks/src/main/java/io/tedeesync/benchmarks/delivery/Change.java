package io.tedeesync.benchmarks.delivery;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One change the rig made: a {@code lock-status-changed} webhook for one lock, posted at {@link #sentNanos}
 * ({@link System#nanoTime()} just before the request was written), and when it first reached each sink (the
 * outbound endpoints 0..E-1, MQTT as E). Thread-safe: the arrival marks are atomic, the rest is final.
 */
final class Change {
    private final long sequence;
    private final int lock;
    private final int state;
    private final long eventMillis;
    private final long sentNanos;
    private final boolean measured;
    private final AtomicLongArray firstArrival;

    Change(long sequence, int lock, int state, long eventMillis, long sentNanos, boolean measured, int sinks) {
        this.sequence = sequence;
        this.lock = lock;
        this.state = state;
        this.eventMillis = eventMillis;
        this.sentNanos = sentNanos;
        this.measured = measured;
        this.firstArrival = new AtomicLongArray(sinks);
    }

    long sequence() {
        return sequence;
    }

    int lock() {
        return lock;
    }

    /** Tedee's state code the webhook reported (2 unlocked, 6 locked). */
    int state() {
        return state;
    }

    long eventMillis() {
        return eventMillis;
    }

    long sentNanos() {
        return sentNanos;
    }

    /** Made inside the measured window (else in the warm-up). */
    boolean measured() {
        return measured;
    }

    /** Notes an arrival at a sink; false if it had arrived there before (a duplicate). */
    boolean arrived(int sink, long nanos) {
        return firstArrival.compareAndSet(sink, 0, nanos);
    }

    boolean reached(int sink) {
        return firstArrival.get(sink) != 0;
    }

    /** From the send to the first arrival at the sink, in ms; NaN if it never arrived. */
    double delayMillis(int sink) {
        long at = firstArrival.get(sink);
        return at == 0 ? Double.NaN : (at - sentNanos) / 1e6;
    }

    long arrivalNanos(int sink) {
        return firstArrival.get(sink);
    }
}
