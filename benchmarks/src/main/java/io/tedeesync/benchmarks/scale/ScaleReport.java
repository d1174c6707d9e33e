package io.tedeesync.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The figures of one scale run, collected as the run goes and printed as one line per figure, then as
 * markdown table rows (the issue's columns, then every figure). Not thread-safe: the rig's main thread
 * fills it.
 */
final class ScaleReport {
    private final ScaleOptions options;
    private final Path work;
    private final Instant startedAt;
    private String failure;
    private double simulatorReadySeconds = Double.NaN;
    private double firstServedSeconds = Double.NaN;
    private int loaded;
    private double loadedSeconds = Double.NaN;
    private boolean loadedByList;
    private long listed = -1;
    private ScaleBenchmark.Point before;
    private ScaleBenchmark.Point after;
    private long changesMade;
    private long changesFailed;
    private long changesSkipped;
    private ProcFs.Sample serviceAtEnd = ProcFs.Sample.GONE;
    private ProcFs.Sample simulatorAtEnd = ProcFs.Sample.GONE;
    private ProcFs.Sample servicePeaks = ProcFs.Sample.GONE;
    private ProcFs.Sample simulatorPeaks = ProcFs.Sample.GONE;
    private Freshness.Figures freshness;
    private long streamEvents;
    private long streamReconnects;
    private Map<String, Long> eventTypes = Map.of();
    private Optional<Jcmd.Heap> serviceHeap = Optional.empty();
    private Optional<Jcmd.Heap> simulatorHeap = Optional.empty();
    private JsonNode finalStats;
    private String startup;
    private Map<Long, String> serviceNames = Map.of();
    private Map<Long, String> simulatorNames = Map.of();

    ScaleReport(ScaleOptions options, Path work, Instant startedAt) {
        this.options = options;
        this.work = work;
        this.startedAt = startedAt;
    }

    void simulatorReady(double seconds) {
        simulatorReadySeconds = seconds;
    }

    void firstServed(double seconds) {
        firstServedSeconds = seconds;
    }

    void loaded(int count, double seconds, boolean byList) {
        loaded = count;
        loadedSeconds = seconds;
        loadedByList = byList;
    }

    void lockCount(long count) {
        listed = count;
    }

    void window(ScaleBenchmark.Point windowStart, ScaleBenchmark.Point windowEnd, long made, long failed, long skipped) {
        before = windowStart;
        after = windowEnd;
        changesMade = made;
        changesFailed = failed;
        changesSkipped = skipped;
    }

    void threadNames(Map<Long, String> service, Map<Long, String> simulator) {
        serviceNames = service;
        simulatorNames = simulator;
    }

    /** The machine while the service started: from its start until every lock was loaded. */
    void startup(ProcFs.MachineCpu machineAtStart, double rigAndSimulatorAtStart, ProcFs.MachineCpu machineLoaded,
            double serviceLoaded, double rigAndSimulatorLoaded, double seconds, double othersCores) {
        double busy = (machineLoaded.busySeconds() - machineAtStart.busySeconds()) / seconds;
        startup = String.format(Locale.ROOT, "%.2f of %d cores busy (/proc/stat) from the start until every lock was loaded: the service %.2f, "
                + "simulator and rig %.2f, other processes %.2f", busy, Runtime.getRuntime().availableProcessors(), serviceLoaded / seconds,
                (rigAndSimulatorLoaded - rigAndSimulatorAtStart) / seconds, othersCores);
    }

    boolean sampledAtEnd() {
        return !serviceAtEnd.gone() || !simulatorAtEnd.gone();
    }

    void processesAtEnd(ProcFs.Sample service, ProcFs.Sample simulator) {
        serviceAtEnd = service;
        simulatorAtEnd = simulator;
    }

    void servicePeaks(ProcFs.Sample peaks) {
        servicePeaks = peaks;
    }

    void simulatorPeaks(ProcFs.Sample peaks) {
        simulatorPeaks = peaks;
    }

    void freshness(Freshness.Figures figures, long events, long reconnects, Map<String, Long> types) {
        freshness = figures;
        streamEvents = events;
        streamReconnects = reconnects;
        eventTypes = types;
    }

    void heap(Optional<Jcmd.Heap> service, Optional<Jcmd.Heap> simulator) {
        serviceHeap = service;
        simulatorHeap = simulator;
    }

    void finalStats(JsonNode stats) {
        finalStats = stats;
    }

    /** Notes that the service exited, with the end of its log; returns the exit status for it. */
    int serviceDied(Child service, String when, double afterSeconds) {
        failure = String.format(Locale.ROOT, "serve exited with status %s %s, %.1f s after its start. Last lines of %s:%n%s",
                service.exitCode(), when, afterSeconds, service.log(), service.tail(15));
        return 1;
    }

    int serviceFailed(String why) {
        failure = why;
        return 1;
    }

    void print(PrintStream out) {
        out.print(text());
        out.flush();
    }

    String text() {
        StringBuilder text = new StringBuilder();
        line(text, "scale benchmark", String.format(Locale.ROOT, "%s, run directory %s", startedAt.truncatedTo(ChronoUnit.SECONDS), work));
        line(text, "service jar", jarDescription());
        line(text, "machine", String.format(Locale.ROOT, "%d cores, %s %s, %s %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), System.getProperty("os.name"),
                System.getProperty("os.version")));
        line(text, "setup", String.format(Locale.ROOT, "%,d accounts x %d locks = %,d locks, --sync-interval %s, window %s after %s warm-up, %.1f changes/s",
                options.accounts(), options.locksPerAccount(), options.locks(), Durations.format(options.interval()),
                Durations.format(options.duration()), Durations.format(options.warmup()), options.changesPerSecond()));
        line(text, "simulator ready", String.format(Locale.ROOT, "%.1f s after its start", simulatorReadySeconds));
        if (failure != null) {
            line(text, "FAILED", failure);
        }
        line(text, "first served request", Double.isNaN(firstServedSeconds) ? "never"
                : String.format(Locale.ROOT, "%.2f s after the process started (GET /health 200)", firstServedSeconds));
        line(text, "all locks loaded", Double.isNaN(loadedSeconds)
                ? String.format(Locale.ROOT, "no: %,d of %,d locks had their Added event", loaded, options.locks())
                : loadedByList ? String.format(Locale.ROOT, "%.1f s after the process started (no Added events on the stream: GET /api/locks "
                        + "polled every 5 s listed them all, so up to 5 s late)", loadedSeconds)
                : String.format(Locale.ROOT, "%.1f s after the process started (%,d Added events on the stream; GET /api/locks lists %s)",
                        loadedSeconds, loaded, listed < 0 ? "?" : String.format(Locale.ROOT, "%,d", listed)));
        if (startup != null) {
            line(text, "machine during start-up", startup);
        }
        line(text, "threads", process(serviceAtEnd.threads(), servicePeaks.threads(), ""));
        line(text, "open file descriptors", process(serviceAtEnd.fds(), servicePeaks.fds(), ""));
        line(text, "RSS", process(mb(serviceAtEnd.rssKb()), mb(servicePeaks.rssKb()), " MB"));
        line(text, "heap after GC", heap(serviceHeap));
        if (before != null && after != null) {
            windowLines(text);
        }
        if (freshness != null) {
            freshnessLines(text);
        }
        if (finalStats != null) {
            line(text, "whole run at the simulator", String.format(Locale.ROOT, "%,d requests, %,d answered 429, %,d syncs too soon",
                    ScaleBenchmark.number(finalStats, "requests").orElse(-1L), status(finalStats, "429"),
                    ScaleBenchmark.number(finalStats, "syncCallsTooSoon").orElse(-1L)));
        }
        line(text, "simulator process", String.format(Locale.ROOT, "threads %s, fds %s, RSS %s MB (peaks %s / %s / %s MB), heap after GC %s",
                count(simulatorAtEnd.threads()), count(simulatorAtEnd.fds()), count(mb(simulatorAtEnd.rssKb())),
                count(simulatorPeaks.threads()), count(simulatorPeaks.fds()), count(mb(simulatorPeaks.rssKb())), heap(simulatorHeap)));
        text.append('\n').append(issueRow()).append('\n').append(fullRow());
        return text.toString();
    }

    private void windowLines(StringBuilder text) {
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        long requests = delta("requests");
        double serviceCores = (after.serviceCpu() - before.serviceCpu()) / seconds;
        double simulatorCores = (after.simulatorCpu() - before.simulatorCpu()) / seconds;
        double rigCores = (after.rigCpu() - before.rigCpu()) / seconds;
        double machineCores = (after.machine().busySeconds() - before.machine().busySeconds()) / seconds;
        line(text, "service CPU", String.format(Locale.ROOT, "%.1f %% of a core over the %.0f s window; %s ms CPU per API request",
                serviceCores * 100, seconds, requests > 0 ? String.format(Locale.ROOT, "%.2f", serviceCores * seconds * 1000 / requests) : "?"));
        line(text, "  of it", split(before.serviceSplit(), after.serviceSplit(), before.serviceThreads(), after.serviceThreads(),
                serviceNames, seconds));
        line(text, "service threads by name", mostThreads(after.serviceThreads(), serviceNames));
        line(text, "API requests/s", String.format(Locale.ROOT, "%.1f at the simulator (ideal %s = %,d accounts / %s); %,d in the window",
                requests / seconds, rate(options.idealRequestsPerSecond()), options.accounts(), Durations.format(options.interval()), requests));
        line(text, "  by route", join(deltas("byRoute")));
        line(text, "  by status", join(deltas("byStatus")));
        line(text, "429s", String.format(Locale.ROOT, "%,d in the window", deltaStatus("429")));
        line(text, "syncs too soon", String.format(Locale.ROOT, "%,d in the window", delta("syncCallsTooSoon")));
        line(text, "simulator CPU", String.format(Locale.ROOT, "%.1f %% of a core; %s µs CPU per API request", simulatorCores * 100,
                requests > 0 ? String.format(Locale.ROOT, "%,.0f", simulatorCores * seconds * 1e6 / requests) : "?"));
        line(text, "  of it", split(before.simulatorSplit(), after.simulatorSplit(), before.simulatorThreads(),
                after.simulatorThreads(), simulatorNames, seconds));
        line(text, "rig CPU", String.format(Locale.ROOT, "%.1f %% of a core", rigCores * 100));
        line(text, "machine", String.format(Locale.ROOT, "%.2f of %d cores busy (/proc/stat); other processes used %.2f cores",
                machineCores, Runtime.getRuntime().availableProcessors(), before.othersCores(after)));
        line(text, "changes made", String.format(Locale.ROOT, "%,d (%,d failed, %,d moments skipped: every lock tried was in flight)",
                changesMade, changesFailed, changesSkipped));
    }

    private void freshnessLines(StringBuilder text) {
        Freshness.Figures figures = freshness;
        line(text, "freshness", String.format(Locale.ROOT, "p50 %s, p99 %s, max %s from a change in the simulator to its StateChanged on the stream (%,d changes; %,d never arrived%s)",
                seconds(figures.total().at(50)), seconds(figures.total().at(99)), seconds(figures.total().max()), figures.total().count(),
                figures.unmatched(), figures.unmatched() > 0 ? ", the oldest " + seconds(figures.oldestUnmatchedMillis()) + " old" : ""));
        line(text, "  until observed", String.format(Locale.ROOT, "p50 %s, p99 %s, max %s (the change to the service's observedAt: waiting for a sync)",
                seconds(figures.untilObserved().at(50)), seconds(figures.untilObserved().at(99)), seconds(figures.untilObserved().max())));
        line(text, "  observed to streamed", String.format(Locale.ROOT, "p50 %s, p99 %s, max %s (store, SSE pump, this rig's reader)",
                millis(figures.observedToArrival().at(50)), millis(figures.observedToArrival().at(99)), millis(figures.observedToArrival().max())));
        line(text, "event stream", String.format(Locale.ROOT, "%,d events (%s), %d reconnects, %,d StateChanged not matching a change",
                streamEvents, join(eventTypes), streamReconnects, figures.strays()));
    }

    /** The issue's columns: accounts, threads, RSS, serve CPU, requests/s (ideal), freshness p99, all locks loaded. */
    String issueRow() {
        String header = "| accounts | threads | RSS | serve CPU | requests/s (ideal) | freshness p99 | all locks loaded |\n|---|---|---|---|---|---|---|\n";
        return header + String.format(Locale.ROOT, "| %,d | %s | %s MB | %s | %s (%s) | %s | %s |%n", options.accounts(),
                count(serviceAtEnd.threads()), count(mb(serviceAtEnd.rssKb())), cores(),
                before == null ? "?" : rate(delta("requests") / windowSeconds()), rate(options.idealRequestsPerSecond()),
                freshness == null ? "?" : seconds(freshness.total().at(99)), Double.isNaN(loadedSeconds) ? "no" : String.format(Locale.ROOT, "%.1f s", loadedSeconds));
    }

    /** Every figure in one row. */
    String fullRow() {
        String header = "| accounts | first /health 200 | all loaded | threads | fds | RSS | heap after GC | serve CPU | CPU / request "
                + "| requests/s (ideal) | too soon | 429 | freshness p50 / p99 / max | simulator CPU, per request |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
        double seconds = windowSeconds();
        long requests = before == null ? 0 : delta("requests");
        String perRequest = requests == 0 ? "?" : String.format(Locale.ROOT, "%.2f ms",
                (after.serviceCpu() - before.serviceCpu()) * 1000 / requests);
        String simulator = requests == 0 ? "?" : String.format(Locale.ROOT, "%.1f %%, %,.0f µs",
                (after.simulatorCpu() - before.simulatorCpu()) / seconds * 100, (after.simulatorCpu() - before.simulatorCpu()) * 1e6 / requests);
        return header + String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s MB | %s | %s | %s | %s (%s) | %s | %s | %s | %s |%n",
                options.accounts(), Double.isNaN(firstServedSeconds) ? "never" : String.format(Locale.ROOT, "%.1f s", firstServedSeconds),
                Double.isNaN(loadedSeconds) ? "no" : String.format(Locale.ROOT, "%.1f s", loadedSeconds),
                count(serviceAtEnd.threads()), count(serviceAtEnd.fds()), count(mb(serviceAtEnd.rssKb())),
                serviceHeap.map(heap -> mb(heap.usedKb()) + " MB").orElse("?"), cores(), perRequest,
                before == null ? "?" : rate(requests / seconds), rate(options.idealRequestsPerSecond()),
                finalStats == null ? "?" : count(ScaleBenchmark.number(finalStats, "syncCallsTooSoon").orElse(-1L)),
                finalStats == null ? "?" : count(status(finalStats, "429")),
                freshness == null ? "?" : seconds(freshness.total().at(50)) + " / " + seconds(freshness.total().at(99)) + " / "
                        + seconds(freshness.total().max()), simulator);
    }

    private String cores() {
        return before == null ? "?" : String.format(Locale.ROOT, "%.0f %% of a core", (after.serviceCpu() - before.serviceCpu()) / windowSeconds() * 100);
    }

    private double windowSeconds() {
        return before == null ? Double.NaN : (after.nanos() - before.nanos()) / 1e9;
    }

    private long delta(String field) {
        return ScaleBenchmark.number(after.stats(), field).orElse(0L) - ScaleBenchmark.number(before.stats(), field).orElse(0L);
    }

    private long deltaStatus(String status) {
        return status(after.stats(), status) - status(before.stats(), status);
    }

    static long status(JsonNode stats, String status) {
        return ScaleBenchmark.number(stats, "byStatus", status).orElse(0L);
    }

    private Map<String, Long> deltas(String field) {
        Map<String, Long> result = new TreeMap<>();
        JsonNode end = after.stats().path(field);
        for (Iterator<String> names = end.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            long value = end.get(name).asLong() - before.stats().path(field).path(name).asLong(0);
            if (value != 0) {
                result.put(name, value);
            }
        }
        return result;
    }

    private String jarDescription() {
        try {
            Path jar = options.jar().toAbsolutePath();
            return String.format(Locale.ROOT, "%s (%.1f MB, modified %s)", jar, Files.size(jar) / 1e6,
                    Files.getLastModifiedTime(jar).toInstant().truncatedTo(ChronoUnit.SECONDS));
        } catch (IOException e) {
            return options.jar().toString();
        }
    }

    /** {@code user 8.8 %, kernel 1.1 % of a core; by thread: name (count) 4.7 %, ...} over a window. */
    static String split(double[] before, double[] after, Map<Long, ProcFs.Task> threadsBefore, Map<Long, ProcFs.Task> threadsAfter,
            Map<Long, String> names, double seconds) {
        List<String> parts = new ArrayList<>();
        double live = 0;
        for (ProcFs.ThreadGroup group : ProcFs.groups(threadsBefore, threadsAfter, names)) {
            live += group.cpuSeconds();
            if (group.cpuSeconds() / seconds >= 0.005 && parts.size() < 8) {
                parts.add(String.format(Locale.ROOT, "%s (%,d) %.1f %%", group.name(), group.threads(), group.cpuSeconds() / seconds * 100));
            }
        }
        double total = (after[0] - before[0]) + (after[1] - before[1]);
        // What the threads alive at the end do not account for was used by threads that ended inside the window.
        double ended = Math.max(0, total - live);
        return String.format(Locale.ROOT, "user %.1f %%, kernel %.1f %% of a core; by thread name (threads at the end): %s; "
                        + "in threads that ended during the window %.1f %%",
                (after[0] - before[0]) / seconds * 100, (after[1] - before[1]) / seconds * 100,
                parts.isEmpty() ? "none above 0.5 %" : String.join(", ", parts), ended / seconds * 100);
    }

    /** The most numerous thread names at the end of the window, {@code name 1,000}. */
    static String mostThreads(Map<Long, ProcFs.Task> threads, Map<Long, String> names) {
        List<String> parts = new ArrayList<>();
        ProcFs.groups(Map.of(), threads, names).stream()
                .sorted((left, right) -> Integer.compare(right.threads(), left.threads()))
                .limit(6).forEach(group -> parts.add(String.format(Locale.ROOT, "%s %,d", group.name(), group.threads())));
        return String.join(", ", parts);
    }

    /** A rate with one decimal below 100 a second, whole above. */
    static String rate(double perSecond) {
        return String.format(Locale.ROOT, perSecond < 100 ? "%.1f" : "%,.0f", perSecond);
    }

    static String heap(Optional<Jcmd.Heap> heap) {
        return heap.map(value -> String.format(Locale.ROOT, "%,d MB used of %,d MB committed", mb(value.usedKb()), mb(value.committedKb())))
                .orElse("? (jcmd gave nothing)");
    }

    private static String process(long atEnd, long peak, String unit) {
        return String.format(Locale.ROOT, "%s%s at the end of the window (peak over the run %s%s)", count(atEnd), unit, count(peak), unit);
    }

    static long mb(long kb) {
        return kb < 0 ? -1 : Math.round(kb / 1024.0);
    }

    static String count(long value) {
        return value < 0 ? "?" : String.format(Locale.ROOT, "%,d", value);
    }

    static String seconds(double millis) {
        return Double.isNaN(millis) ? "?" : String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }

    static String millis(double millis) {
        return Double.isNaN(millis) ? "?" : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    static String join(Map<String, Long> values) {
        List<String> parts = new ArrayList<>();
        new LinkedHashMap<>(values).forEach((name, value) -> parts.add(String.format(Locale.ROOT, "%s %,d", name, value)));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-26s %s%n", label, value));
    }
}
