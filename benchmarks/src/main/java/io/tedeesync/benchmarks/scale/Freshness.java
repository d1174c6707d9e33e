package io.tedeesync.benchmarks.scale;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a change made in the simulator takes to reach the service's event stream: the rig notes
 * each change it makes (serial, new state code, when it sent it) and the matching {@code StateChanged}
 * event (same serial, {@code toCode} the new code) ends it. At most one change per lock is in flight,
 * so a match is never ambiguous. Each match is split at the service's {@code observedAt}: before it the
 * change waited for a sync, after it the service wrote the event and streamed it (and the rig read it).
 * Thread-safe.
 */
final class Freshness {
    private record Pending(int code, long sentNanos, long sentEpochMillis) {
    }

    /** The figures so far, in milliseconds. */
    record Figures(Percentiles total, Percentiles untilObserved, Percentiles observedToArrival, int unmatched,
            long oldestUnmatchedMillis, long strays) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final List<double[]> matched = new ArrayList<>();
    private final AtomicLong strays = new AtomicLong();

    boolean inFlight(String serial) {
        return pending.containsKey(serial);
    }

    /** Called just before the change is sent, so that an event however quick finds it. */
    void expect(String serial, int code, long sentNanos, long sentEpochMillis) {
        pending.put(serial, new Pending(code, sentNanos, sentEpochMillis));
    }

    /** The change could not be made: nothing to wait for. */
    void cancel(String serial) {
        pending.remove(serial);
    }

    int inFlight() {
        return pending.size();
    }

    void onStateChanged(String serial, int toCode, Instant observedAt, long arrivalNanos) {
        Pending change = pending.get(serial);
        if (change == null || change.code() != toCode || !pending.remove(serial, change)) {
            strays.incrementAndGet();
            return;
        }
        double total = (arrivalNanos - change.sentNanos()) / 1e6;
        double untilObserved = observedAt == null ? Double.NaN : observedAt.toEpochMilli() - change.sentEpochMillis();
        synchronized (matched) {
            matched.add(new double[] {total, untilObserved, total - untilObserved});
        }
    }

    Figures figures() {
        double[][] rows;
        synchronized (matched) {
            rows = matched.toArray(new double[0][]);
        }
        double[] total = new double[rows.length];
        double[] untilObserved = new double[rows.length];
        double[] afterObserved = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            total[i] = rows[i][0];
            untilObserved[i] = rows[i][1];
            afterObserved[i] = rows[i][2];
        }
        long now = System.nanoTime();
        long oldest = pending.values().stream().mapToLong(change -> (now - change.sentNanos()) / 1_000_000).max().orElse(0);
        return new Figures(new Percentiles(total), new Percentiles(untilObserved), new Percentiles(afterObserved),
                pending.size(), oldest, strays.get());
    }
}
