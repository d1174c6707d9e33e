package io.tedeesync.benchmarks.scale;

import java.util.Arrays;

/** Percentiles of a set of durations in milliseconds (nearest rank, on a sorted copy). Immutable. */
public final class Percentiles {
    private final double[] sorted;

    public Percentiles(double[] millis) {
        this.sorted = millis.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** The value {@code percent} % of the samples did not exceed; NaN when there are none. */
    public double at(double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
