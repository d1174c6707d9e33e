package io.tedeesync.benchmarks.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.benchmarks.scale.Jcmd;
import io.tedeesync.benchmarks.scale.Machine;
import io.tedeesync.benchmarks.scale.Postgres;
import io.tedeesync.benchmarks.scale.ScaleBenchmark;
import io.tedeesync.benchmarks.scale.WindowCpu;
import io.tedeesync.store.StoreConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The fleet benchmark of issue 13: how fast {@code tedee-sync serve} answers the fleet view's routes for 5,000
 * locks, and the history of a busy lock over 30 days, on SQLite and on PostgreSQL.
 *
 * <ol>
 *   <li>In this JVM: the simulator with A accounts sharing L locks in varied states ({@link FleetWorld}).
 *   <li>The busy lock's 30 days of events ({@link BusyLockHistory}) written into a fresh store through
 *       {@code LockStore} (SQLite in the run's directory, or the database {@code tedee} of an embedded
 *       PostgreSQL 15 the rig starts, as the cluster benchmark does), before the service starts.
 *   <li>The service from its jar ({@link FleetService}) on that store, until {@code GET /api/locks} lists every lock.
 *   <li>Each route ({@link Route}) asked once and its answer checked ({@link RouteChecks}); then {@code --warmup}
 *       times each; then {@code --requests} operations of each route with one client, and as many with
 *       {@code --concurrency} clients ({@link RouteDriver}).
 *   <li>The slowest route (highest p50, one client) again for {@code --profile-time} under JFR, started in the
 *       service with {@code jcmd JFR.start} so that it records only that ({@link JfrSummary}).
 * </ol>
 *
 * <p>Exit status: 0 measured and every answer right, 1 an answer was wrong or a route not served, 2 bad arguments,
 * 3 the rig failed.
 */
public final class FleetBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final String RECORDING = "fleet";

    private final FleetOptions options;
    private final PrintStream progress;

    private FleetBenchmark(FleetOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream progress) {
        return ScaleBenchmark.guarded("fleet", FleetOptions.USAGE, progress, () -> {
            FleetOptions options = FleetOptions.parse(args);
            ScaleBenchmark.requireJar(options.jar());
            return () -> new FleetBenchmark(options, progress).measure(out);
        });
    }

    private int measure(PrintStream console) throws Exception {
        Path work = options.work() != null ? Files.createDirectories(options.work()) : Files.createTempDirectory("tedee-fleet-");
        progress.printf("fleet: %,d locks on %d accounts, busy lock %,d events a day for %d days, %s; run directory %s%n", options.locks(),
                options.accounts(), options.eventsPerDay(), options.days(), String.join(" then ", options.databases()), work);
        boolean allRight = true;
        try (OutputStream file = Files.newOutputStream(work.resolve("report.txt"));
                PrintStream out = new PrintStream(new Tee(console, file), true, StandardCharsets.UTF_8)) {
            out.printf(Locale.ROOT, "fleet benchmark %s: jar %s (built %s), %d cores, %s; --requests %d --warmup %d --concurrency %d%n",
                    Instant.now().truncatedTo(ChronoUnit.SECONDS), options.jar(), Files.getLastModifiedTime(options.jar()),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"), options.requests(), options.warmup(),
                    options.concurrency());
            List<FleetReport.DatabaseRun> runs = new ArrayList<>();
            for (String database : options.databases()) {
                FleetReport.DatabaseRun run = runOn(database, Files.createDirectories(work.resolve(database)));
                FleetReport.print(run, out);
                runs.add(run);
                allRight &= run.verdicts().values().stream().allMatch(verdict -> verdict.startsWith("ok"));
            }
            FleetReport.compare(runs, options.concurrency(), out);
        }
        progress.println(allRight ? "fleet: every answer checked right" : "fleet: WRONG answers or routes not served (see the report)");
        return allRight ? 0 : 1;
    }

    private FleetReport.DatabaseRun runOn(String database, Path directory) throws Exception {
        Machine.waitForQuiet(options.waitForQuiet(), progress);
        try (FleetWorld world = FleetWorld.build(options.accounts(), options.locks(), options.seed())) {
            FleetWorld.Lock busy = world.busyLock();
            BusyLockHistory history = BusyLockHistory.generate(busy, options.days(), options.eventsPerDay(),
                    Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS));
            world.settle(history.ending());
            world.serve();
            Path accountsFile = world.writeAccountsFile(directory);
            Postgres postgres = database.equals("postgres") ? Postgres.start(directory.resolve("postgres"), true) : null;
            try {
                StoreConfig config = postgres == null ? StoreConfig.sqlite(directory.resolve("data"))
                        : StoreConfig.postgres(postgres.jdbcUrl(), Postgres.USER, null);
                double seeded = history.seed(config);
                progress.printf(Locale.ROOT, "fleet: %s: %,d events of %s seeded in %.1f s%n", database, history.size(), busy.serialNumber(), seeded);
                List<String> store = postgres == null ? List.of("--data", directory.resolve("data").toString())
                        : List.of("--database", postgres.jdbcUrl(), "--database-user", Postgres.USER);
                DoubleSupplier helperCpu = postgres == null ? () -> 0 : postgres::cpuSeconds;
                try (FleetService service = FleetService.start(options, directory, database, accountsFile, world.baseUrl(), store);
                        RouteDriver driver = new RouteDriver(service.address(), options.concurrency(), service.pid(), helperCpu)) {
                    double loaded = service.awaitLoaded(options.locks(), LOAD_TIMEOUT);
                    progress.printf(Locale.ROOT, "fleet: %s: serve (pid %d) lists all %,d locks %.1f s after its start%n", database, service.pid(),
                            options.locks(), loaded);
                    return measureRoutes(database, directory, world, history, service, driver, postgres, helperCpu, seeded, loaded);
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
                if (!options.keep()) {
                    ScaleBenchmark.deleteTree(directory.resolve("data"));
                    ScaleBenchmark.deleteTree(directory.resolve("postgres"));
                }
            }
        }
    }

    private FleetReport.DatabaseRun measureRoutes(String database, Path directory, FleetWorld world, BusyLockHistory history,
            FleetService service, RouteDriver driver, Postgres postgres, DoubleSupplier helperCpu, double seeded, double loaded)
            throws Exception {
        String busy = world.busyLock().serialNumber();
        List<Route> all = Route.all(busy, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        RouteChecks checks = new RouteChecks(JSON.readTree(driver.once(0, all.get(0), true).bodies().get(0)), history);
        List<Route> routes = all.stream().filter(route -> options.routes().contains(route.name())).toList();
        Map<String, String> verdicts = new LinkedHashMap<>();
        Map<String, String> sizes = new LinkedHashMap<>();
        List<Route> served = new ArrayList<>();
        for (Route route : routes) {
            RouteDriver.Outcome first = driver.once(0, route, true);
            if (!RouteChecks.served(route, first.status())) {
                verdicts.put(route.name(), "not served: HTTP " + first.status());
                continue;
            }
            String wrong = route.kind() == Route.Kind.REVALIDATE ? revalidation(driver, route) : checks.check(route, first.bodies());
            verdicts.put(route.name(), wrong == null ? "ok" : "WRONG: " + wrong);
            sizes.put(route.name(), RouteChecks.sizes(route, first.bodies()));
            served.add(route);
        }
        progress.printf("fleet: %s: checked %s; warm-up, %d operations of each route%n", database, verdicts, options.warmup());
        for (Route route : served) {
            for (int operation = 0; operation < options.warmup(); operation++) {
                driver.once(0, route, false);
            }
        }
        WindowCpu cpu = new WindowCpu(service.pid(), helperCpu);
        cpu.start();
        List<RouteDriver.Measurement> measurements = new ArrayList<>();
        for (Route route : served) {
            for (int clients : new int[] {1, options.concurrency()}) {
                RouteDriver.Measurement measurement = driver.measure(route, clients, options.requests());
                measurements.add(measurement);
                progress.printf(Locale.ROOT, "fleet: %s: %-20s %d client(s): p50 %s ms, p99 %s ms, %,.1f ops/s%n", database, route.name(), clients,
                        FleetReport.ms(measurement.millis().at(50)), FleetReport.ms(measurement.millis().at(99)), measurement.perSecond());
            }
        }
        WindowCpu.Used used = cpu.end();
        if (!service.alive()) {
            throw new IllegalStateException("serve died while measuring:\n" + service.tail(30));
        }
        FleetReport.Profile profile = profile(directory, database, measurements, service, driver, postgres);
        return new FleetReport.DatabaseRun(database, options.locks(), options.accounts(), busy, history.size(), seeded, loaded, verdicts,
                sizes, measurements, used, profile);
    }

    /** A poller's second request with the tag it just got must be a 304 (three tries: a sync may change the list in between). */
    private static String revalidation(RouteDriver driver, Route route) throws IOException {
        int status = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            status = driver.once(0, route, false).status();
            if (status == 304) {
                return null;
            }
        }
        return "answered " + status + " three times to the tag it had just given (no 304)";
    }

    private FleetReport.Profile profile(Path directory, String database, List<RouteDriver.Measurement> measurements, FleetService service,
            RouteDriver driver, Postgres postgres) throws Exception {
        Route route = measurements.stream()
                .filter(measurement -> measurement.concurrency() == 1)
                .filter(measurement -> options.profile().equals("slowest") || measurement.route().name().equals(options.profile()))
                .max(Comparator.comparingDouble(measurement -> measurement.millis().at(50)))
                .map(RouteDriver.Measurement::route).orElse(null);
        if (options.profile().equals("none") || route == null) {
            return null;
        }
        Path file = directory.resolve("profile-" + route.name() + "-c" + options.profileClients() + ".jfr");
        progress.printf("fleet: %s: JFR of %s, %d client(s), for %s -> %s%n", database, route.name(), options.profileClients(),
                options.profileTime(), file);
        if (postgres != null) {
            postgres.resetStatements();
        }
        Jcmd.startRecording(service.pid(), RECORDING, "profile", file);
        long start = System.nanoTime();
        int operations = driver.runFor(route, options.profileClients(), options.profileTime());
        double seconds = (System.nanoTime() - start) / 1e9;
        Jcmd.stopRecording(service.pid(), RECORDING);
        List<String> statements = postgres == null ? List.of() : postgres.topStatements(6);
        return new FleetReport.Profile(route.name(), options.profileClients(), seconds, operations, JfrSummary.read(file, operations).lines(), statements);
    }

    /** Writes to the console and the report file alike. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
