package io.tedeesync.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulator alone under the load of {@code serve} with N accounts, without the service: what one
 * API request costs the simulator in CPU. Starts {@link ScaleSimulator} in its own process, gets every
 * account's lock list once ({@code GET /my/lock}, as fast as the connections go), then sends each
 * account's {@code GET /my/lock/sync} once per interval, the accounts spread evenly over it (N / interval
 * requests a second, 500/s for 10,000 accounts at 20 s), from a few keep-alive connections ({@link RawHttp},
 * cheap for the shared cores). Reports the simulator's CPU per request over the window from
 * {@code /proc/PID/stat}, the latencies, and how late requests left (whether the simulator kept up).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tedeesync.benchmarks.scale.SimulatorLoad --accounts 10000
 *     [--connections 16] [--fresh-connections] [--duration 60s] [--warmup 20s]
 *     [--sim-java-opts "-XX:StartFlightRecording=delay=30s,duration=60s,filename=sim.jfr"]</pre>
 */
public final class SimulatorLoad {
    private record Task(int account, long dueNanos) {
    }

    private record Options(int accounts, int locksPerAccount, Duration interval, Duration warmup, Duration duration,
            int connections, boolean fresh, List<String> simJavaOptions, Path simClasspath, Path work, Duration waitForQuiet) {
    }

    private final Options options;
    private final PrintStream out;
    private final Probes probes = new Probes();
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();
    private final Queue<double[]> samples = new ConcurrentLinkedQueue<>();
    private int unsent;
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private volatile boolean stopped;

    private SimulatorLoad(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: SimulatorLoad [--accounts 10000] [--locks-per-account 5] [--interval 20s] [--warmup 20s]"
                    + " [--duration 60s] [--connections 16] [--fresh-connections] [--sim-java-opts \"...\"] [--sim-classpath JAR] [--work DIR]"
                    + " [--wait-for-quiet 5m]");
            System.exit(2);
            return;
        }
        new SimulatorLoad(options, System.out).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = options.work() != null ? Files.createDirectories(options.work()) : Files.createTempDirectory("tedee-simload-");
        Machine.waitForQuiet(options.waitForQuiet(), System.err);
        URI url = URI.create("http://127.0.0.1:" + SimulatorProcess.freePort());
        try (Child simulator = SimulatorProcess.start(work, url, options.accounts(), options.locksPerAccount(), 1, Duration.ZERO,
                options.simJavaOptions(), options.simClasspath(), probes, System.err)) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", url.getPort());
            out.printf(Locale.ROOT, "simulator load: %,d accounts x %d locks, %.1f syncs/s (each account every %s), %d %s connections; run directory %s%n",
                    options.accounts(), options.locksPerAccount(), options.accounts() / seconds(options.interval()),
                    Durations.format(options.interval()), options.connections(), options.fresh() ? "fresh (one per request)" : "keep-alive", work);
            getAll(address, simulator);
            sync(address, simulator);
        }
    }

    /** Every account's lock list once, as fast as the connections go. */
    private void getAll(InetSocketAddress address, Child simulator) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        double cpuBefore = ProcFs.cpuSeconds(simulator.pid());
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.connections(); i++) {
            Thread thread = new Thread(() -> {
                try (RawHttp http = new RawHttp(address, options.fresh())) {
                    for (int account = next.getAndIncrement(); account < options.accounts(); account = next.getAndIncrement()) {
                        try {
                            http.get("/api/v37/my/lock", "PersonalKey " + ScaleWorld.personalKey(account));
                        } catch (IOException e) {
                            failures.increment();
                        }
                    }
                }
            }, "simload-getall-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = ProcFs.cpuSeconds(simulator.pid()) - cpuBefore;
        out.printf(Locale.ROOT, "get-all of every account: %,d in %.1f s (%,.0f/s), simulator CPU %,.0f µs per get-all (%d failures)%n",
                options.accounts(), seconds, options.accounts() / seconds, cpu * 1e6 / options.accounts(), failures.sum());
    }

    private void sync(InetSocketAddress address, Child simulator) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(options.connections());
        for (int i = 0; i < options.connections(); i++) {
            Thread worker = new Thread(() -> work(address, done), "simload-worker-" + i);
            worker.setDaemon(true);
            worker.start();
        }
        long start = System.nanoTime();
        Thread pacer = new Thread(() -> pace(start), "simload-pacer");
        pacer.setDaemon(true);
        pacer.start();
        Thread.sleep(options.warmup().toMillis());
        ScaleBenchmark.Point before = point(simulator, address);
        windowStart = before.nanos();
        windowEnd = windowStart + options.duration().toNanos();
        Thread.sleep(options.duration().toMillis());
        ScaleBenchmark.Point after = point(simulator, address);
        Map<Long, String> names = Jcmd.threadNames(simulator.pid());
        stopped = true;
        pacer.interrupt();
        pacer.join(1_000);
        unsent = queue.size(); // due but never sent: the simulator did not keep up
        queue.clear();
        for (int i = 0; i < options.connections(); i++) {
            queue.add(new Task(-1, 0));
        }
        done.await(30, TimeUnit.SECONDS);
        report(simulator, before, after);
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        out.printf(Locale.ROOT, "  of it %s%n", ScaleReport.split(before.simulatorSplit(), after.simulatorSplit(),
                before.simulatorThreads(), after.simulatorThreads(), names, seconds));
    }

    /** Puts each account's sync into the queue at its due time: account {@code n % N} at {@code start + n * interval / N}. */
    private void pace(long start) {
        double spacing = options.interval().toNanos() / (double) options.accounts();
        for (long n = 0; !stopped; n++) {
            long due = start + (long) (n * spacing);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    return;
                }
            }
            queue.add(new Task((int) (n % options.accounts()), due));
        }
    }

    private void work(InetSocketAddress address, CountDownLatch done) {
        try (RawHttp http = new RawHttp(address, options.fresh())) {
            while (true) {
                Task task = queue.take();
                if (task.account() < 0) {
                    break;
                }
                long begin = System.nanoTime();
                try {
                    int status = http.get("/api/v37/my/lock/sync", "PersonalKey " + ScaleWorld.personalKey(task.account()));
                    if (begin >= windowStart && begin < windowEnd) {
                        statuses.computeIfAbsent(status, key -> new LongAdder()).increment();
                        samples.add(new double[] {(System.nanoTime() - begin) / 1e6, (begin - task.dueNanos()) / 1e6});
                    }
                } catch (IOException e) {
                    failures.increment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.countDown();
        }
    }

    private ScaleBenchmark.Point point(Child simulator, InetSocketAddress address) {
        URI url = URI.create("http://127.0.0.1:" + address.getPort());
        JsonNode stats = probes.stats(url).orElseThrow();
        return new ScaleBenchmark.Point(System.nanoTime(), 0, ProcFs.cpuSeconds(simulator.pid()),
                ProcFs.cpuSeconds(ProcessHandle.current().pid()), ProcFs.machine(), stats, new double[2],
                ProcFs.userAndSystem(simulator.pid()), Map.of(), ProcFs.tasks(simulator.pid()), ProcFs.processes(),
                new long[] {simulator.pid(), ProcessHandle.current().pid()});
    }

    private void report(Child simulator, ScaleBenchmark.Point before, ScaleBenchmark.Point after) {
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        long requests = ScaleBenchmark.number(after.stats(), "requests").orElse(0L) - ScaleBenchmark.number(before.stats(), "requests").orElse(0L);
        double simulatorCores = (after.simulatorCpu() - before.simulatorCpu()) / seconds;
        double driverCores = (after.rigCpu() - before.rigCpu()) / seconds;
        double machineCores = (after.machine().busySeconds() - before.machine().busySeconds()) / seconds;
        double[] latency = samples.stream().mapToDouble(sample -> sample[0]).toArray();
        double[] late = samples.stream().mapToDouble(sample -> sample[1]).toArray();
        Percentiles latencies = new Percentiles(latency);
        Percentiles lateness = new Percentiles(late);
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((status, count) -> byStatus.put(status, count.sum()));
        ProcFs.Sample process = ProcFs.sample(simulator.pid());
        out.printf(Locale.ROOT, "window %.0f s: %,d syncs sent (%.1f/s), statuses %s, %d failures; %,d requests counted at the simulator (%.1f/s); %,d due but never sent at the end%n",
                seconds, latencies.count(), latencies.count() / seconds, byStatus, failures.sum(), requests, requests / seconds, unsent);
        out.printf(Locale.ROOT, "  latency p50 %.2f ms, p99 %.2f ms, max %.1f ms; left late by p50 %.2f ms, p99 %.2f ms, max %.1f ms%n",
                latencies.at(50), latencies.at(99), latencies.max(), lateness.at(50), lateness.at(99), lateness.max());
        out.printf(Locale.ROOT, "simulator CPU %.1f %% of a core: %,.0f µs per request; threads %d, fds %d, RSS %,d MB%n",
                simulatorCores * 100, requests > 0 ? simulatorCores * seconds * 1e6 / requests : Double.NaN, process.threads(),
                process.fds(), process.rssKb() / 1024);
        out.printf(Locale.ROOT, "load driver CPU %.1f %% of a core; machine %.2f cores busy (/proc/stat); other processes %.2f cores%n",
                driverCores * 100, machineCores, before.othersCores(after));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static Options parse(String... args) {
        int accounts = 10_000;
        int locks = 5;
        Duration interval = Duration.ofSeconds(20);
        Duration warmup = Duration.ofSeconds(20);
        Duration duration = Duration.ofSeconds(60);
        int connections = 16;
        boolean fresh = false;
        List<String> simJava = List.of();
        Path work = null;
        Path simClasspath = null;
        Duration quiet = Duration.ofMinutes(5);
        for (int index = 0; index < args.length; index++) {
            String name = args[index];
            if (name.equals("--fresh-connections")) {
                fresh = true;
                continue;
            }
            if (index + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + name);
            }
            String value = args[++index];
            switch (name) {
                case "--accounts" -> accounts = Integer.parseInt(value);
                case "--locks-per-account" -> locks = Integer.parseInt(value);
                case "--interval" -> interval = Durations.parse(value);
                case "--warmup" -> warmup = Durations.parse(value);
                case "--duration" -> duration = Durations.parse(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--sim-java-opts" -> simJava = value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
                case "--work" -> work = Path.of(value);
                case "--sim-classpath" -> simClasspath = Path.of(value);
                case "--wait-for-quiet" -> quiet = Durations.parse(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (accounts < 1 || locks < 1 || connections < 1) {
            throw new IllegalArgumentException("--accounts, --locks-per-account and --connections must be at least 1");
        }
        return new Options(accounts, locks, interval, warmup, duration, connections, fresh, simJava, simClasspath, work, quiet);
    }
}
