package io.tedeesync.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The scale benchmark: one {@code tedee-sync serve} process mirroring N accounts of L locks each from a
 * simulator in another process, measured from outside as an operator would see it.
 *
 * <ol>
 *   <li>Starts {@link ScaleSimulator} (its own JVM) with N accounts x L locks, each account its own key.
 *   <li>Writes an accounts file with the N accounts and starts {@code java -jar JAR serve --accounts FILE
 *       --api-url SIMULATOR --data FRESH_DIR --sync-interval 20s} (any build: {@code --jar}).
 *   <li>Times the first {@code /health} 200 and the moment the last lock's {@code Added} event arrives on
 *       {@code /api/events/stream} (followed from {@code ?after=0} as soon as the service answers).
 *   <li>After a warm-up, measures a steady window: the service's and the simulator's CPU from
 *       {@code /proc/PID/stat}, API requests counted at the simulator ({@code GET /_sim/stats}), and
 *       freshness: random state changes made in the simulator, each timed until its {@code StateChanged}
 *       event arrives on the stream.
 *   <li>Reports threads, file descriptors, RSS, the heap after a full GC ({@code jcmd}), syncs too soon and
 *       429s, as lines and as markdown table rows; stops both processes.
 * </ol>
 *
 * <p>Exit status: 0 measured, 1 the service failed (died, never answered, did not load every lock), 2 bad
 * arguments, 3 the rig itself failed.
 */
public final class ScaleBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long after the first /health 200 without a single Added event the rig counts GET /api/locks instead. */
    private static final Duration FALLBACK_AFTER = Duration.ofSeconds(30);

    private final ScaleOptions options;
    private final PrintStream progress;
    private final Probes probes = new Probes();
    private final Freshness freshness = new Freshness();
    private final LoadTracker load;
    private final StreamEvents events;
    private final Peaks servicePeaks = new Peaks();
    private final Peaks simulatorPeaks = new Peaks();

    private ScaleBenchmark(ScaleOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        this.load = new LoadTracker(ScaleWorld.serials(options.accounts(), options.locksPerAccount()));
        this.events = new StreamEvents(load, freshness);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream progress) {
        return guarded("scale", ScaleOptions.USAGE, progress, () -> {
            ScaleOptions options = ScaleOptions.parse(args);
            requireJar(options.jar());
            return () -> new ScaleBenchmark(options, progress).measure(out);
        });
    }

    /** A measurement set up from the command line. */
    public interface Run {
        int run() throws Exception;
    }

    /**
     * A rig's main: sets up (an IllegalArgumentException there is a bad command line: its message and the
     * usage, exit status 2), then runs (an exception is the rig's failure: it and its causes, exit status 3).
     */
    public static int guarded(String rig, String usage, PrintStream progress, java.util.function.Supplier<Run> setUp) {
        Run run;
        try {
            run = setUp.get();
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                progress.println(e.getMessage());
            }
            progress.println(usage);
            return 2;
        }
        try {
            return run.run();
        } catch (Exception e) {
            StringBuilder why = new StringBuilder(rig + ": the rig failed: ").append(e);
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                why.append("\n  caused by ").append(cause);
            }
            progress.println(why);
            return 3;
        }
    }

    public static void requireJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no service jar at " + jar.toAbsolutePath()
                    + " (build it: ./mvnw -B -o package -DskipTests, or pass --jar)");
        }
    }

    private int measure(PrintStream out) throws Exception {
        Path work = options.work() != null ? Files.createDirectories(options.work())
                : Files.createTempDirectory("tedee-scale-" + options.accounts() + "-");
        URI simulatorUrl = URI.create("http://127.0.0.1:" + SimulatorProcess.freePort());
        URI serviceUrl = URI.create("http://127.0.0.1:" + SimulatorProcess.freePort());
        if (options.duration().toMillis() % options.interval().toMillis() != 0) {
            progress.printf("scale: the window (%s) is not a whole number of intervals (%s): the requests counted depend on where "
                    + "the syncs fall%n", Durations.format(options.duration()), Durations.format(options.interval()));
        }
        Machine.waitForQuiet(options.waitForQuiet(), progress);
        ScaleReport report = new ScaleReport(options, work, Instant.now());
        progress.printf("scale: %,d accounts x %d locks, interval %s, window %s; run directory %s%n", options.accounts(),
                options.locksPerAccount(), Durations.format(options.interval()), Durations.format(options.duration()), work);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "scale-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try (Child simulator = startSimulator(work, simulatorUrl)) {
            sampler.scheduleAtFixedRate(() -> simulatorPeaks.add(ProcFs.sample(simulator.pid())), 0, 1, TimeUnit.SECONDS);
            report.simulatorReady((System.nanoTime() - simulator.startedNanos()) / 1e9);
            Path accountsFile = writeAccountsFile(work, options.accounts());
            Path data = work.resolve("data");
            try (Child service = startService(work, accountsFile, data, simulatorUrl, serviceUrl)) {
                sampler.scheduleAtFixedRate(() -> servicePeaks.add(ProcFs.sample(service.pid())), 0, 1, TimeUnit.SECONDS);
                int exit = measureService(service, simulator, serviceUrl, simulatorUrl, report);
                if (!report.sampledAtEnd()) {
                    report.processesAtEnd(ProcFs.sample(service.pid()), ProcFs.sample(simulator.pid()));
                }
                report.servicePeaks(servicePeaks.snapshot());
                report.simulatorPeaks(simulatorPeaks.snapshot());
                report.print(out);
                Files.writeString(work.resolve("report.txt"), report.text(), StandardCharsets.UTF_8);
                return exit;
            } finally {
                sampler.shutdownNow();
                if (!options.keep()) {
                    deleteTree(data);
                }
            }
        }
    }

    private int measureService(Child service, Child simulator, URI serviceUrl, URI simulatorUrl, ScaleReport report)
            throws InterruptedException {
        long started = service.startedNanos();
        ProcFs.MachineCpu machineAtStart = ProcFs.machine();
        double othersAtStart = ProcFs.cpuSeconds(simulator.pid()) + ProcFs.cpuSeconds(ProcessHandle.current().pid());
        Map<Long, Double> processesAtStart = ProcFs.processes();
        // 1. the first /health 200
        long deadline = started + options.startTimeout().toNanos();
        while (probes.health(serviceUrl) != 200) {
            if (!service.alive()) {
                return report.serviceDied(service, "before it answered /health 200", (System.nanoTime() - started) / 1e9);
            }
            if (System.nanoTime() > deadline) {
                return report.serviceFailed("no /health 200 within " + Durations.format(options.startTimeout()));
            }
            Thread.sleep(50);
        }
        report.firstServed((System.nanoTime() - started) / 1e9);
        progress.printf("scale: /health 200 after %.1f s%n", (System.nanoTime() - started) / 1e9);

        // 2. every lock loaded, seen as its Added event on the stream
        try (EventStream stream = EventStream.follow(serviceUrl, events)) {
            deadline = started + options.loadTimeout().toNanos();
            long nextNote = System.nanoTime() + 10_000_000_000L;
            long served = System.nanoTime();
            long nextList = served + FALLBACK_AFTER.toNanos();
            while (!load.complete()) {
                if (!service.alive()) {
                    return report.serviceDied(service, "while loading the locks (" + load.loaded() + " of " + options.locks() + ")",
                            (System.nanoTime() - started) / 1e9);
                }
                if (System.nanoTime() > deadline) {
                    progress.printf("scale: only %,d of %,d locks loaded after %s; measuring anyway%n", load.loaded(), options.locks(),
                            Durations.format(options.loadTimeout()));
                    break;
                }
                if (System.nanoTime() > nextNote) {
                    progress.printf("scale: %,d of %,d locks loaded after %.0f s%n", load.loaded(), options.locks(),
                            (System.nanoTime() - started) / 1e9);
                    nextNote += 10_000_000_000L;
                }
                // A build that streams no Added events on a fresh store: count the list instead, every 5 s.
                if (load.loaded() == 0 && System.nanoTime() > nextList) {
                    long listed = probes.lockCount(serviceUrl);
                    if (listed >= options.locks()) {
                        load.listed(System.nanoTime());
                        progress.println("scale: no Added events on the stream; every lock was listed by GET /api/locks (polled every 5 s)");
                        break;
                    }
                    nextList = System.nanoTime() + 5_000_000_000L;
                }
                Thread.sleep(100);
            }
            report.loaded(load.loaded(), load.complete() ? (load.completedNanos() - started) / 1e9 : Double.NaN, load.byList());
            double startupSeconds = (System.nanoTime() - started) / 1e9;
            report.startup(machineAtStart, othersAtStart, ProcFs.machine(), ProcFs.cpuSeconds(service.pid()),
                    ProcFs.cpuSeconds(simulator.pid()) + ProcFs.cpuSeconds(ProcessHandle.current().pid()), startupSeconds,
                    ProcFs.othersUsed(processesAtStart, ProcFs.processes(), service.pid(), simulator.pid(),
                            ProcessHandle.current().pid()) / startupSeconds);
            progress.printf("scale: %,d locks loaded after %.1f s; warm-up %s%n", load.loaded(),
                    (System.nanoTime() - started) / 1e9, Durations.format(options.warmup()));

            // 3. warm-up, then the steady window with changes
            if (!sleepWhileAlive(service, options.warmup())) {
                return report.serviceDied(service, "during the warm-up", (System.nanoTime() - started) / 1e9);
            }
            Point before = point(service, simulator, simulatorUrl);
            try (ChangeMaker changes = new ChangeMaker(probes, simulatorUrl, options.accounts(), options.locksPerAccount(),
                    options.changesPerSecond(), options.seed(), freshness)) {
                changes.start();
                progress.printf("scale: measuring for %s, %.1f changes a second%n", Durations.format(options.duration()),
                        options.changesPerSecond());
                if (!sleepWhileAlive(service, options.duration())) {
                    return report.serviceDied(service, "during the measured window", (System.nanoTime() - started) / 1e9);
                }
                changes.close();
                Point after = point(service, simulator, simulatorUrl);
                report.window(before, after, changes.made(), changes.failed(), changes.skipped());
            }
            report.processesAtEnd(ProcFs.sample(service.pid()), ProcFs.sample(simulator.pid()));

            // 4. the changes still in flight get two intervals to arrive
            long drainEnd = System.nanoTime() + options.interval().multipliedBy(2).plusSeconds(15).toNanos();
            while (freshness.inFlight() > 0 && System.nanoTime() < drainEnd && service.alive()) {
                Thread.sleep(200);
            }
            report.freshness(freshness.figures(), stream.events(), stream.reconnects(), events.types());
            // After the changes are in: a thread dump stops the service for a moment.
            report.threadNames(Jcmd.threadNames(service.pid()), Jcmd.threadNames(simulator.pid()));
            report.lockCount(probes.lockCount(serviceUrl));
            report.heap(Jcmd.heapAfterGc(service.pid()), Jcmd.heapAfterGc(simulator.pid()));
            report.finalStats(probes.stats(simulatorUrl).orElse(null));
        }
        return load.complete() ? 0 : 1;
    }

    /**
     * CPU of the three processes (the service's and the simulator's also split into user and kernel time
     * and by thread name) and of the machine, and the simulator's counters, at one moment.
     */
    record Point(long nanos, double serviceCpu, double simulatorCpu, double rigCpu, ProcFs.MachineCpu machine, JsonNode stats,
            double[] serviceSplit, double[] simulatorSplit, Map<Long, ProcFs.Task> serviceThreads,
            Map<Long, ProcFs.Task> simulatorThreads, Map<Long, Double> processes, long[] ours) {

        /** Cores other processes used between this point and a later one. */
        double othersCores(Point later) {
            return ProcFs.othersUsed(processes, later.processes(), ours) / ((later.nanos() - nanos) / 1e9);
        }
    }

    private Point point(Child service, Child simulator, URI simulatorUrl) {
        Map<Long, ProcFs.Task> serviceThreads = ProcFs.tasks(service.pid());
        Map<Long, ProcFs.Task> simulatorThreads = ProcFs.tasks(simulator.pid());
        JsonNode stats = probes.stats(simulatorUrl).orElse(JSON.createObjectNode());
        return new Point(System.nanoTime(), ProcFs.cpuSeconds(service.pid()), ProcFs.cpuSeconds(simulator.pid()),
                ProcFs.cpuSeconds(ProcessHandle.current().pid()), ProcFs.machine(), stats, ProcFs.userAndSystem(service.pid()),
                ProcFs.userAndSystem(simulator.pid()), serviceThreads, simulatorThreads, ProcFs.processes(),
                new long[] {service.pid(), simulator.pid(), ProcessHandle.current().pid()});
    }

    private Child startSimulator(Path work, URI simulatorUrl) throws IOException, InterruptedException {
        return SimulatorProcess.start(work, simulatorUrl, options.accounts(), options.locksPerAccount(), options.seed(),
                options.simActivity(), options.simJavaOptions(), options.simClasspath(), probes, progress);
    }

    private Child startService(Path work, Path accountsFile, Path data, URI simulatorUrl, URI serviceUrl) throws IOException {
        List<String> command = serveCommand(options, options.serveJavaOptions(), accountsFile, data, simulatorUrl, serviceUrl);
        Files.writeString(work.resolve("serve.command"), String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        Child service = Child.start("serve", command, work, Map.of());
        progress.printf("scale: serve started (pid %d), log %s%n", service.pid(), service.log());
        return service;
    }

    /** {@code java JAVA_OPTIONS -jar JAR serve --accounts .. --api-url .. --data .. --port .. --sync-interval .. SERVE_ARGS}. */
    static List<String> serveCommand(ScaleOptions options, List<String> javaOptions, Path accountsFile, Path data, URI simulatorUrl,
            URI serviceUrl) {
        List<String> command = new ArrayList<>();
        command.add(SimulatorProcess.javaExecutable());
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", options.jar().toAbsolutePath().toString(), "serve",
                "--accounts", accountsFile.toString(), "--api-url", simulatorUrl.toString(), "--data", data.toString(),
                "--port", Integer.toString(serviceUrl.getPort()), "--sync-interval", Durations.format(options.interval())));
        command.addAll(options.serveArguments());
        return command;
    }

    /** {@code {"accounts":[{"name":"acct-00000","personalKey":"scale-key-00000"}, ...]}}, as the README describes. */
    static Path writeAccountsFile(Path work, int count) throws IOException {
        ObjectNode document = JSON.createObjectNode();
        ArrayNode accounts = document.putArray("accounts");
        for (int account = 0; account < count; account++) {
            accounts.addObject().put("name", ScaleWorld.accountName(account)).put("personalKey", ScaleWorld.personalKey(account));
        }
        Path file = work.resolve("accounts.json");
        JSON.writeValue(file.toFile(), document);
        return file;
    }

    private boolean sleepWhileAlive(Child service, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            if (!service.alive()) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(500, (end - System.nanoTime()) / 1_000_000)));
        }
        return service.alive();
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The highest threads, descriptors and RSS a process showed, sampled every second. Thread-safe. */
    static final class Peaks {
        private int threads = -1;
        private int fds = -1;
        private long rssKb = -1;

        synchronized void add(ProcFs.Sample sample) {
            if (!sample.gone()) {
                threads = Math.max(threads, sample.threads());
                fds = Math.max(fds, sample.fds());
                rssKb = Math.max(rssKb, sample.rssKb());
            }
        }

        synchronized ProcFs.Sample snapshot() {
            return new ProcFs.Sample(threads, fds, rssKb, -1);
        }
    }

    static Optional<Long> number(JsonNode node, String... path) {
        JsonNode current = node;
        for (String name : path) {
            if (current == null) {
                return Optional.empty();
            }
            current = current.get(name);
        }
        return current == null || !current.isNumber() ? Optional.empty() : Optional.of(current.asLong());
    }
}
