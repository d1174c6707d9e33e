package io.tedeesync.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cluster benchmark (issue 11): several {@code tedee-sync serve} instances sharing N accounts by
 * leases on one PostgreSQL, against one simulator, measured from outside with the scale benchmark's rig.
 *
 * <ol>
 *   <li>Starts a PostgreSQL of its own ({@link Postgres}), the simulator ({@link ScaleSimulator}), and the
 *       instances at once, each {@code serve --accounts FILE --database jdbc:postgresql://.. --instance-name
 *       node-I --instance-url http://127.0.0.1:PORT}, the same accounts file for all.
 *   <li>Times each instance's first {@code /health} 200, and every lock's {@code Added} event on the first
 *       instance's stream (every instance streams every event).
 *   <li>After a warm-up, a steady window as in the scale benchmark: each instance's CPU, threads, fds, RSS,
 *       the simulator's counters, freshness on the first instance's stream, plus PostgreSQL's transactions
 *       ({@code pg_stat_database}), CPU, rows written per table and top statements; the accounts each owns.
 *   <li>With {@code --kill-after}: kill -9 of the last instance, then the time until a survivor owns every
 *       account it owned ({@code /health} of the survivors, every 200 ms) and until a change made at the kill
 *       on a sample of its accounts reaches the stream (their first sync after), and the counters across it.
 * </ol>
 *
 * <p>Exit status: 0 measured, 1 an instance failed (died, never answered, not every lock loaded, the takeover
 * did not complete), 2 bad arguments, 3 the rig itself failed.
 */
public final class ClusterBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TAKEOVER_TIMEOUT = Duration.ofMinutes(2);

    private final ClusterOptions cluster;
    private final ScaleOptions options;
    private final PrintStream progress;
    private final Probes probes = new Probes();
    private final Freshness freshness = new Freshness();
    private final Freshness takeoverFreshness = new Freshness();
    private final LoadTracker load;
    private final StreamEvents events;
    private final ScaleBenchmark.Peaks simulatorPeaks = new ScaleBenchmark.Peaks();

    /** One serve instance of the cluster. */
    static final class Instance {
        final int number;
        final String name;
        final URI url;
        final Child child;
        final ScaleBenchmark.Peaks peaks = new ScaleBenchmark.Peaks();
        double firstServedSeconds = Double.NaN;
        ProcFs.Sample atEnd = ProcFs.Sample.GONE;
        java.util.Optional<Jcmd.Heap> heap = java.util.Optional.empty();
        Map<Long, String> threadNames = Map.of();
        int ownedAfterWindow = -1;
        int ownedAtEnd = -1;
        String metrics = "";

        Instance(int number, String name, URI url, Child child) {
            this.number = number;
            this.name = name;
            this.url = url;
            this.child = child;
        }
    }

    /** CPU of every process and the counters of the simulator and the database at one moment. */
    record Point(long nanos, double[] instanceCpu, double[][] instanceSplit, List<Map<Long, ProcFs.Task>> instanceThreads,
            double simulatorCpu, double rigCpu, double postgresCpu, ProcFs.MachineCpu machine, JsonNode stats, long transactions,
            Map<String, long[]> tables, Map<Long, Double> processes, long[] ours) {

        double seconds(Point later) {
            return (later.nanos() - nanos) / 1e9;
        }

        double othersCores(Point later) {
            return ProcFs.othersUsed(processes, later.processes(), later.ours()) / seconds(later);
        }
    }

    private ClusterBenchmark(ClusterOptions cluster, PrintStream progress) {
        this.cluster = cluster;
        this.options = cluster.scale();
        this.progress = progress;
        this.load = new LoadTracker(ScaleWorld.serials(options.accounts(), options.locksPerAccount()));
        this.events = new StreamEvents(load, takeoverFreshness, freshness);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream progress) {
        return ScaleBenchmark.guarded("cluster", ClusterOptions.USAGE, progress, () -> {
            ClusterOptions options = ClusterOptions.parse(args);
            ScaleBenchmark.requireJar(options.scale().jar());
            return () -> new ClusterBenchmark(options, progress).measure(out);
        });
    }

    private int measure(PrintStream out) throws Exception {
        Path work = options.work() != null ? Files.createDirectories(options.work())
                : Files.createTempDirectory("tedee-cluster-" + cluster.instances() + "x" + options.accounts() + "-");
        URI simulatorUrl = URI.create("http://127.0.0.1:" + SimulatorProcess.freePort());
        if (options.duration().toMillis() % options.interval().toMillis() != 0) {
            progress.printf("cluster: the window (%s) is not a whole number of intervals (%s)%n", Durations.format(options.duration()),
                    Durations.format(options.interval()));
        }
        Machine.waitForQuiet(options.waitForQuiet(), progress);
        ClusterReport report = new ClusterReport(cluster, work, Instant.now());
        progress.printf("cluster: %d instances, %,d accounts x %d locks, interval %s, window %s; run directory %s%n", cluster.instances(),
                options.accounts(), options.locksPerAccount(), Durations.format(options.interval()), Durations.format(options.duration()), work);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cluster-sampler");
            thread.setDaemon(true);
            return thread;
        });
        List<Instance> instances = new ArrayList<>();
        long postgresStarted = System.nanoTime();
        try (Postgres postgres = Postgres.start(work.resolve("postgres"), cluster.statements())) {
            report.postgresReady((System.nanoTime() - postgresStarted) / 1e9, postgres.postmasterPid());
            progress.printf("cluster: PostgreSQL ready on %s (postmaster %d)%n", postgres.jdbcUrl(), postgres.postmasterPid());
            try (Child simulator = SimulatorProcess.start(work, simulatorUrl, options.accounts(), options.locksPerAccount(), options.seed(),
                    options.simActivity(), options.simJavaOptions(), options.simClasspath(), probes, progress)) {
                sampler.scheduleAtFixedRate(() -> simulatorPeaks.add(ProcFs.sample(simulator.pid())), 0, 1, TimeUnit.SECONDS);
                report.simulatorReady((System.nanoTime() - simulator.startedNanos()) / 1e9);
                Path accountsFile = ScaleBenchmark.writeAccountsFile(work, options.accounts());
                for (int number = 1; number <= cluster.instances(); number++) {
                    Instance instance = startInstance(work, number, accountsFile, postgres, simulatorUrl);
                    instances.add(instance);
                    sampler.scheduleAtFixedRate(() -> instance.peaks.add(ProcFs.sample(instance.child.pid())), 0, 1, TimeUnit.SECONDS);
                }
                int exit;
                try {
                    exit = measureCluster(instances, simulator, simulatorUrl, postgres, report);
                } finally {
                    sampler.shutdownNow();
                    for (Instance instance : instances) {
                        instance.child.close();
                    }
                }
                report.simulatorAtEnd(ProcFs.sample(simulator.pid()), simulatorPeaks.snapshot());
                report.instances(instances);
                report.print(out);
                Files.writeString(work.resolve("report.txt"), report.text(), StandardCharsets.UTF_8);
                return exit;
            }
        } finally {
            if (!options.keep()) {
                for (int number = 1; number <= cluster.instances(); number++) {
                    ScaleBenchmark.deleteTree(work.resolve("data-" + number));
                }
            }
        }
    }

    private Instance startInstance(Path work, int number, Path accountsFile, Postgres postgres, URI simulatorUrl) throws Exception {
        URI url = URI.create("http://127.0.0.1:" + SimulatorProcess.freePort());
        String name = "node-" + number;
        List<String> java = new ArrayList<>(options.serveJavaOptions());
        if (cluster.profile() && number == 1) {
            java.add("-XX:StartFlightRecording=settings=profile,filename=" + work.resolve("instance-1.jfr") + ",dumponexit=true");
        }
        List<String> command = ScaleBenchmark.serveCommand(options, java, accountsFile, work.resolve("data-" + number), simulatorUrl, url);
        command.addAll(List.of("--database", postgres.jdbcUrl(), "--database-user", Postgres.USER, "--instance-name", name,
                "--instance-url", url.toString()));
        Files.writeString(work.resolve("serve-" + number + ".command"), String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        Child child = Child.start("serve-" + number, command, work, Map.of());
        progress.printf("cluster: %s started (pid %d) on %s, log %s%n", name, child.pid(), url, child.log());
        return new Instance(number, name, url, child);
    }

    private int measureCluster(List<Instance> instances, Child simulator, URI simulatorUrl, Postgres postgres, ClusterReport report)
            throws InterruptedException {
        long started = instances.get(0).child.startedNanos();
        Instance first = instances.get(0);
        ProcFs.MachineCpu machineAtStart = ProcFs.machine();
        Map<Long, Double> processesAtStart = ProcFs.processes();
        // 1. each instance's first /health 200
        long deadline = started + options.startTimeout().toNanos();
        EventStream stream = null;
        try {
            while (instances.stream().anyMatch(instance -> Double.isNaN(instance.firstServedSeconds))) {
                for (Instance instance : instances) {
                    if (!Double.isNaN(instance.firstServedSeconds)) {
                        continue;
                    }
                    if (!instance.child.alive()) {
                        return report.failed(instance.name + " died before it answered /health 200 (exit " + instance.child.exitCode()
                                + "):\n" + instance.child.tail(20));
                    }
                    if (probes.health(instance.url) == 200) {
                        instance.firstServedSeconds = (System.nanoTime() - instance.child.startedNanos()) / 1e9;
                        progress.printf("cluster: %s /health 200 after %.1f s%n", instance.name, instance.firstServedSeconds);
                        if (instance == first) {
                            stream = EventStream.follow(first.url, events);
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    return report.failed("not every instance answered /health 200 within " + Durations.format(options.startTimeout()));
                }
                Thread.sleep(50);
            }
            // 2. every lock's Added event on the first instance's stream
            deadline = started + options.loadTimeout().toNanos();
            long nextNote = System.nanoTime() + 10_000_000_000L;
            while (!load.complete()) {
                String dead = dead(instances);
                if (dead != null) {
                    return report.failed(dead + " died while loading the locks (" + load.loaded() + " of " + options.locks() + ")");
                }
                if (System.nanoTime() > deadline) {
                    progress.printf("cluster: only %,d of %,d locks loaded after %s; measuring anyway%n", load.loaded(), options.locks(),
                            Durations.format(options.loadTimeout()));
                    break;
                }
                if (System.nanoTime() > nextNote) {
                    progress.printf("cluster: %,d of %,d locks loaded after %.0f s%n", load.loaded(), options.locks(),
                            (System.nanoTime() - started) / 1e9);
                    nextNote += 10_000_000_000L;
                }
                Thread.sleep(100);
            }
            double startupSeconds = (System.nanoTime() - started) / 1e9;
            report.loaded(load.loaded(), load.complete() ? (load.completedNanos() - started) / 1e9 : Double.NaN);
            ProcFs.MachineCpu machineLoaded = ProcFs.machine();
            report.startup((machineLoaded.busySeconds() - machineAtStart.busySeconds()) / startupSeconds,
                    ProcFs.othersUsed(processesAtStart, ProcFs.processes(), ours(instances, simulator, postgres)) / startupSeconds);
            progress.printf("cluster: %,d locks loaded after %.1f s; warm-up %s%n", load.loaded(), startupSeconds,
                    Durations.format(options.warmup()));

            // 3. warm-up, then the steady window with changes
            if (!sleepWhileAlive(instances, options.warmup())) {
                return report.failed(dead(instances) + " died during the warm-up");
            }
            postgres.resetStatements();
            Point before = point(instances, simulator, simulatorUrl, postgres);
            ChangeMaker changes = new ChangeMaker(probes, simulatorUrl, options.accounts(), options.locksPerAccount(),
                    options.changesPerSecond(), options.seed(), freshness);
            try {
                changes.start();
                progress.printf("cluster: measuring for %s, %.1f changes a second%n", Durations.format(options.duration()),
                        options.changesPerSecond());
                if (!sleepWhileAlive(instances, options.duration())) {
                    return report.failed(dead(instances) + " died during the measured window");
                }
            } finally {
                changes.close();
            }
            Point after = point(instances, simulator, simulatorUrl, postgres);
            report.window(before, after, changes.made(), changes.failed(), changes.skipped());
            report.statements(postgres.topStatements(12));
            for (Instance instance : instances) {
                instance.atEnd = ProcFs.sample(instance.child.pid());
                instance.ownedAfterWindow = owned(instance).size();
            }
            // the changes still in flight get two intervals to arrive
            long drainEnd = System.nanoTime() + options.interval().multipliedBy(2).plusSeconds(15).toNanos();
            while (freshness.inFlight() > 0 && System.nanoTime() < drainEnd && dead(instances) == null) {
                Thread.sleep(200);
            }
            report.freshness(freshness.figures());
            for (Instance instance : instances) {
                instance.threadNames = Jcmd.threadNames(instance.child.pid());
                instance.heap = Jcmd.heapAfterGc(instance.child.pid());
            }
            report.lockCount(probes.lockCount(first.url));

            // 4. kill -9 of the last instance, and the takeover
            int exit = load.complete() ? 0 : 1;
            if (cluster.killAfter() != null) {
                Thread.sleep(cluster.killAfter().toMillis());
                if (!takeover(instances, simulator, simulatorUrl, postgres, changes, report)) {
                    exit = 1;
                }
            }
            for (Instance instance : instances) {
                if (instance.child.alive()) {
                    instance.ownedAtEnd = owned(instance).size();
                    instance.metrics = clusterMetrics(instance);
                }
            }
            report.events(stream.events(), stream.reconnects(), events.types());
            report.finalStats(probes.stats(simulatorUrl).orElse(null));
            return exit;
        } finally {
            if (stream != null) {
                stream.close();
            }
        }
    }

    /** Kills the last instance, waits for the survivors to own its accounts and for their first syncs; whether it completed. */
    private boolean takeover(List<Instance> instances, Child simulator, URI simulatorUrl, Postgres postgres, ChangeMaker changes,
            ClusterReport report) throws InterruptedException {
        Instance victim = instances.get(instances.size() - 1);
        List<Instance> survivors = instances.subList(0, instances.size() - 1);
        Set<String> orphans = owned(victim);
        List<String> sample = new ArrayList<>(orphans);
        sample.sort(null);
        int step = Math.max(1, sample.size() / Math.max(1, cluster.takeoverSample()));
        Point before = point(instances, simulator, simulatorUrl, postgres);
        long killed = System.nanoTime();
        long killedEpoch = System.currentTimeMillis();
        victim.child.killNow();
        progress.printf("cluster: killed %s (kill -9, pid %d), which owned %,d accounts%n", victim.name, victim.child.pid(), orphans.size());
        // A change on one lock of a sample of its accounts, timed from the kill: it arrives with the account's first sync after.
        int changed = 0;
        for (int index = 0; index < sample.size() && changed < cluster.takeoverSample(); index += step) {
            if (changes.turnOneOf(ScaleWorld.accountIndex(sample.get(index)), takeoverFreshness, killed, killedEpoch)) {
                changed++;
            }
        }
        // Every orphan owned by a survivor, polled on the survivors' /health.
        double ownedAfter = Double.NaN;
        long deadline = killed + TAKEOVER_TIMEOUT.toNanos();
        Map<String, Integer> takenBy = new java.util.TreeMap<>();
        while (System.nanoTime() < deadline) {
            Set<String> left = new HashSet<>(orphans);
            takenBy.clear();
            for (Instance survivor : survivors) {
                Set<String> owned = owned(survivor);
                int before0 = left.size();
                left.removeAll(owned);
                takenBy.put(survivor.name, before0 - left.size());
            }
            if (left.isEmpty()) {
                ownedAfter = (System.nanoTime() - killed) / 1e9;
                break;
            }
            Thread.sleep(200);
        }
        progress.printf("cluster: every account of %s owned by a survivor after %.1f s%n", victim.name, ownedAfter);
        while (takeoverFreshness.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        // The phase ends at least two intervals after the kill, so that its counters cover the survivors' new rhythm.
        long phaseEnd = killed + Math.max(options.interval().multipliedBy(3).toNanos(), System.nanoTime() - killed);
        while (System.nanoTime() < phaseEnd) {
            Thread.sleep(200);
        }
        Point after = point(instances, simulator, simulatorUrl, postgres);
        report.takeover(victim.name, orphans.size(), ownedAfter, takenBy, changed, takeoverFreshness.figures(), before, after);
        return !Double.isNaN(ownedAfter);
    }

    private Set<String> owned(Instance instance) {
        Set<String> owned = new HashSet<>();
        probes.healthDocument(instance.url).ifPresent(health -> health.path("cluster").path("ownedAccounts")
                .forEach(name -> owned.add(name.asText())));
        return owned;
    }

    /** The {@code tedee_sync_cluster_*} and fenced-batch lines of the instance's {@code /metrics}. */
    private String clusterMetrics(Instance instance) {
        return probes.text(instance.url, "/metrics", Duration.ofMinutes(1)).map(text -> text.lines()
                .filter(line -> !line.startsWith("#") && (line.startsWith("tedee_sync_cluster_") || line.startsWith("tedee_sync_store_fenced")))
                .map(line -> line.replace("tedee_sync_", "")).reduce((left, right) -> left + ", " + right).orElse("none"))
                .orElse("? (/metrics did not answer)");
    }

    private Point point(List<Instance> instances, Child simulator, URI simulatorUrl, Postgres postgres) {
        int count = instances.size();
        double[] cpu = new double[count];
        double[][] split = new double[count][];
        List<Map<Long, ProcFs.Task>> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long pid = instances.get(i).child.pid();
            threads.add(ProcFs.tasks(pid));
            cpu[i] = ProcFs.cpuSeconds(pid);
            split[i] = ProcFs.userAndSystem(pid);
        }
        JsonNode stats = probes.stats(simulatorUrl).orElse(JSON.createObjectNode());
        return new Point(System.nanoTime(), cpu, split, threads, ProcFs.cpuSeconds(simulator.pid()),
                ProcFs.cpuSeconds(ProcessHandle.current().pid()), postgres.cpuSeconds(), ProcFs.machine(), stats, postgres.transactions(),
                postgres.tableWrites(), ProcFs.processes(), ours(instances, simulator, postgres));
    }

    private static long[] ours(List<Instance> instances, Child simulator, Postgres postgres) {
        List<Long> pids = new ArrayList<>(postgres.pids());
        instances.forEach(instance -> pids.add(instance.child.pid()));
        pids.add(simulator.pid());
        pids.add(ProcessHandle.current().pid());
        return pids.stream().mapToLong(Long::longValue).toArray();
    }

    private static String dead(List<Instance> instances) {
        return instances.stream().filter(instance -> !instance.child.alive()).map(instance -> instance.name + " (exit "
                + instance.child.exitCode() + ")").findFirst().orElse(null);
    }

    private static boolean sleepWhileAlive(List<Instance> instances, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            if (dead(instances) != null) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(500, (end - System.nanoTime()) / 1_000_000)));
        }
        return dead(instances) == null;
    }
}
