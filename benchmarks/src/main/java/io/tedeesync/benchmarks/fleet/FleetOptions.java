package io.tedeesync.benchmarks.fleet;

import io.tedeesync.benchmarks.scale.Flags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@link FleetBenchmark}. Immutable.
 *
 * @param locks            locks in the simulator, spread evenly over the accounts
 * @param accounts         accounts, each with its own personal key, in the simulator and the accounts file
 * @param eventsPerDay     events seeded per day for the busy lock
 * @param days             days of history seeded for the busy lock (ending just before the service starts)
 * @param databases        {@code sqlite}, {@code postgres} or both, in that order
 * @param requests         measured requests per route and concurrency (a paging walk counts as one)
 * @param warmup           requests per route before anything is measured, at concurrency 1
 * @param concurrency      the second level measured (the first is one client at a time)
 * @param routes           the routes measured ({@link Route#NAMES}, in that order)
 * @param profile          {@code slowest} (the route with the highest p50 at concurrency 1), {@code none}, or a route's name
 * @param profileTime      how long the profiled route is driven while JFR records
 * @param profileClients   how many clients drive it meanwhile (1, or the concurrency to see what it adds)
 * @param jar              the service's runnable jar
 * @param serveJavaOptions JVM options of the service, split on spaces
 * @param serveArguments   extra arguments after {@code serve ...}, split on spaces (e.g. {@code --sync-interval 5m})
 * @param work             the run's directory, null for a new one under /tmp
 * @param keep             keep the service's data (SQLite file, PostgreSQL directory) afterwards
 * @param waitForQuiet     how long to wait for a quiet machine before each database's run (zero: do not wait)
 * @param seed             the seed of the locks' states, batteries and doors
 */
record FleetOptions(int locks, int accounts, int eventsPerDay, int days, List<String> databases, int requests, int warmup,
        int concurrency, List<String> routes, String profile, Duration profileTime,
        int profileClients, Path jar, List<String> serveJavaOptions, List<String> serveArguments,
        Path work, boolean keep,
        Duration waitForQuiet, long seed) {

    static final String USAGE = String.join("\n",
            "Usage: benchmarks/fleet/run.sh [options]   (or java -cp benchmarks/target/benchmarks.jar io.tedeesync.benchmarks.fleet.FleetBenchmark)",
            "  --locks N                 locks in the simulator, spread over the accounts     (default 5000)",
            "  --accounts N              accounts                                             (default 10)",
            "  --events-per-day N        events seeded per day for the busy lock              (default 1000)",
            "  --days N                  days of history of the busy lock (at most 31)        (default 30)",
            "  --database D              sqlite, postgres or both                             (default both)",
            "  --requests N              measured requests per route and concurrency          (default 200)",
            "  --warmup N                requests per route before measuring                  (default 100)",
            "  --concurrency C           the concurrent level measured besides 1              (default 8)",
            "  --routes A,B,...          only these routes (names below)                      (default all)",
            "  --profile P               JFR of: slowest (route by p50), none, or a route name (default slowest)",
            "  --profile-time D          how long the profiled route runs under JFR           (default 30s)",
            "  --profile-clients N       clients asking it meanwhile                          (default 1)",
            "  --jar PATH                the service's runnable jar                           (default server/target/tedee-sync.jar)",
            "  --serve-java-opts \"...\"   JVM options of the service                          (default none, as bin/tedee-sync)",
            "  --serve-args \"...\"        extra arguments of serve, e.g. \"--sync-interval 5m\"   (default none)",
            "  --work DIR                the run's directory                                  (default a new /tmp/tedee-fleet-*)",
            "  --keep                    keep the service's data afterwards",
            "  --wait-for-quiet D        wait up to D for idle cores before each database     (default 5m; 0: do not wait)",
            "  --seed S                  seed of the locks' states, batteries, doors          (default 1)",
            "Routes (names for --profile): " + String.join(", ", Route.NAMES) + ".",
            "Durations: 500ms, 20s, 3m, 1h.");

    FleetOptions {
        if (accounts < 1 || locks < accounts) {
            throw new IllegalArgumentException("--accounts must be at least 1 and --locks at least --accounts");
        }
        if (eventsPerDay < 25 || days < 1 || days > 31) {
            throw new IllegalArgumentException("--events-per-day must be at least 25, --days 1..31 (the history route's range)");
        }
        if (requests < 1 || warmup < 0 || concurrency < 2 || profileClients < 1 || profileClients > concurrency) {
            throw new IllegalArgumentException("--requests must be at least 1, --warmup not negative, --concurrency at least 2,"
                    + " --profile-clients 1..--concurrency");
        }
        for (String database : databases) {
            if (!database.equals("sqlite") && !database.equals("postgres")) {
                throw new IllegalArgumentException("--database must be sqlite, postgres or both");
            }
        }
        if (!profile.equals("slowest") && !profile.equals("none") && !Route.NAMES.contains(profile)) {
            throw new IllegalArgumentException("--profile must be slowest, none or one of " + Route.NAMES);
        }
        for (String route : routes) {
            if (!Route.NAMES.contains(route)) {
                throw new IllegalArgumentException("--routes: no route " + route + " (known: " + String.join(", ", Route.NAMES) + ")");
            }
        }
        databases = List.copyOf(databases);
        routes = List.copyOf(routes);
        serveJavaOptions = List.copyOf(serveJavaOptions);
        serveArguments = List.copyOf(serveArguments);
    }

    static FleetOptions parse(String... args) {
        int locks = 5000;
        int accounts = 10;
        int eventsPerDay = 1000;
        int days = 30;
        List<String> databases = List.of("sqlite", "postgres");
        int requests = 200;
        int warmup = 100;
        int concurrency = 8;
        List<String> routes = Route.NAMES;
        String profile = "slowest";
        Duration profileTime = Duration.ofSeconds(30);
        int profileClients = 1;
        Path jar = Path.of("server/target/tedee-sync.jar");
        List<String> serveJava = List.of();
        List<String> serveArgs = List.of();
        Path work = null;
        boolean keep = false;
        Duration quiet = Duration.ofMinutes(5);
        long seed = 1;
        Flags flags = new Flags(args, Set.of("--keep"));
        while (flags.next()) {
            switch (flags.name()) {
                case "--keep" -> keep = true;
                case "--locks" -> locks = flags.number();
                case "--accounts" -> accounts = flags.number();
                case "--events-per-day" -> eventsPerDay = flags.number();
                case "--days" -> days = flags.number();
                case "--database" -> databases = flags.value().equalsIgnoreCase("both") ? List.of("sqlite", "postgres")
                        : List.of(flags.value().toLowerCase(Locale.ROOT));
                case "--requests" -> requests = flags.number();
                case "--warmup" -> warmup = flags.number();
                case "--concurrency" -> concurrency = flags.number();
                case "--routes" -> routes = List.of(flags.value().split(","));
                case "--profile" -> profile = flags.value();
                case "--profile-time" -> profileTime = flags.duration();
                case "--profile-clients" -> profileClients = flags.number();
                case "--jar" -> jar = flags.path();
                case "--serve-java-opts" -> serveJava = flags.words();
                case "--serve-args" -> serveArgs = flags.words();
                case "--work" -> work = flags.path();
                case "--wait-for-quiet" -> quiet = flags.duration();
                case "--seed" -> seed = flags.longNumber();
                default -> throw flags.unknown();
            }
        }
        return new FleetOptions(locks, accounts, eventsPerDay, days, databases, requests, warmup, concurrency, routes, profile, profileTime, profileClients, jar,
                serveJava, serveArgs, work, keep, quiet, seed);
    }
}
