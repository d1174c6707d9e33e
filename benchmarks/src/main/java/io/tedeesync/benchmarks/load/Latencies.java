package io.tedeesync.benchmarks.load;

import java.util.Arrays;

/** Percentiles of a set of latencies (nearest rank, on a sorted copy). Immutable. */
final class Latencies {
    private final long[] sorted;

    Latencies(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /** The latency that {@code percent} % of the requests did not exceed, in milliseconds; 0 when there are none. */
    double percentileMillis(double percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] / 1e6;
    }

    double maxMillis() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
    }

    double meanMillis() {
        return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0) / 1e6;
    }
}
