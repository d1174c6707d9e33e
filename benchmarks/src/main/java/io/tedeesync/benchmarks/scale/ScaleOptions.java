package io.tedeesync.benchmarks.scale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@link ScaleBenchmark}. Immutable.
 *
 * @param accounts         accounts in the simulator and in the accounts file
 * @param locksPerAccount  locks on each account
 * @param interval         the service's sync interval ({@code --sync-interval})
 * @param duration         the measured (steady) window
 * @param warmup           time between "every lock loaded" and the window
 * @param changesPerSecond state changes the rig makes in the simulator during the window
 * @param jar              the service's runnable jar
 * @param serveJavaOptions JVM options of the service, split on spaces
 * @param serveArguments   extra arguments after {@code serve ...}, split on spaces
 * @param simJavaOptions   JVM options of the simulator process
 * @param simActivity      the simulator's own random activity (mean gap per lock; zero: none)
 * @param simClasspath     the simulator's classpath (another benchmarks jar), null for this one
 * @param work             the run's directory (logs, accounts file, data), null for a new one under /tmp
 * @param keep             keep the service's data directory afterwards
 * @param startTimeout     how long to wait for the first {@code /health} 200
 * @param loadTimeout      how long to wait for every lock to be loaded, from the start
 * @param seed             the seed of the rig's changes and of the simulator
 * @param waitForQuiet     how long to wait for a quiet machine before starting (zero: do not wait)
 */
record ScaleOptions(int accounts, int locksPerAccount, Duration interval, Duration duration, Duration warmup,
        double changesPerSecond, Path jar, List<String> serveJavaOptions, List<String> serveArguments,
        List<String> simJavaOptions, Duration simActivity, Path simClasspath, Path work, boolean keep, Duration startTimeout,
        Duration loadTimeout, long seed, Duration waitForQuiet) {

    static final String USAGE = String.join("\n",
            "Usage: benchmarks/scale/run.sh [options]   (or java -cp benchmarks/target/benchmarks.jar io.tedeesync.benchmarks.scale.ScaleBenchmark)",
            "  --accounts N              accounts, each its own personal key                 (default 100)",
            "  --locks-per-account L     locks on each account                                (default 5)",
            "  --interval D              the service's --sync-interval                        (default 20s)",
            "  --duration D              the measured window                                  (default 3m)",
            "  --warmup D                after every lock is loaded, before the window        (default 30s)",
            "  --changes-per-second R    state changes made in the simulator in the window    (default 5)",
            "  --jar PATH                the service's runnable jar                           (default server/target/tedee-sync.jar)",
            "  --serve-java-opts \"...\"   JVM options of the service                          (default none, as bin/tedee-sync)",
            "  --serve-args \"...\"        extra arguments of serve                             (default none)",
            "  --sim-java-opts \"...\"     JVM options of the simulator process                (default none)",
            "  --sim-activity D          the simulator's own random activity, mean gap per lock (default 0: off)",
            "  --sim-classpath JAR       run the simulator from another benchmarks jar         (default this one)",
            "  --work DIR                the run's directory: logs, accounts file, data       (default a new /tmp/tedee-scale-*)",
            "  --keep                    keep the service's data directory",
            "  --start-timeout D         wait for the first /health 200                       (default 5m)",
            "  --load-timeout D          wait for every lock to be loaded                     (default 10m)",
            "  --seed S                  seed of the simulator and of the changes             (default 1)",
            "  --wait-for-quiet D        first wait up to D for the cores to be idle          (default 5m; 0: do not wait)",
            "Durations: 500ms, 20s, 3m, 1h.");

    ScaleOptions {
        if (accounts < 1 || locksPerAccount < 1) {
            throw new IllegalArgumentException("--accounts and --locks-per-account must be at least 1");
        }
        if (interval.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("--interval must be at least 10s (serve refuses less)");
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || warmup.isNegative() || changesPerSecond < 0) {
            throw new IllegalArgumentException("--duration must be at least 1s, --warmup and --changes-per-second not negative");
        }
        serveJavaOptions = List.copyOf(serveJavaOptions);
        serveArguments = List.copyOf(serveArguments);
        simJavaOptions = List.copyOf(simJavaOptions);
    }

    static ScaleOptions parse(String... args) {
        int accounts = 100;
        int locks = 5;
        Duration interval = Duration.ofSeconds(20);
        Duration duration = Duration.ofMinutes(3);
        Duration warmup = Duration.ofSeconds(30);
        double changes = 5;
        Path jar = Path.of("server/target/tedee-sync.jar");
        List<String> serveJava = List.of();
        List<String> serveArgs = List.of();
        List<String> simJava = List.of();
        Duration activity = Duration.ZERO;
        Path simClasspath = null;
        Path work = null;
        boolean keep = false;
        Duration startTimeout = Duration.ofMinutes(5);
        Duration loadTimeout = Duration.ofMinutes(10);
        long seed = 1;
        Duration quiet = Duration.ofMinutes(5);
        Flags flags = new Flags(args, Set.of("--keep"));
        while (flags.next()) {
            switch (flags.name()) {
                case "--keep" -> keep = true;
                case "--accounts" -> accounts = flags.number();
                case "--locks-per-account" -> locks = flags.number();
                case "--interval" -> interval = flags.duration();
                case "--duration" -> duration = flags.duration();
                case "--warmup" -> warmup = flags.duration();
                case "--changes-per-second" -> changes = flags.decimal();
                case "--jar" -> jar = flags.path();
                case "--serve-java-opts" -> serveJava = flags.words();
                case "--serve-args" -> serveArgs = flags.words();
                case "--sim-java-opts" -> simJava = flags.words();
                case "--sim-activity" -> activity = flags.duration();
                case "--sim-classpath" -> simClasspath = flags.path();
                case "--work" -> work = flags.path();
                case "--start-timeout" -> startTimeout = flags.duration();
                case "--load-timeout" -> loadTimeout = flags.duration();
                case "--seed" -> seed = flags.number();
                case "--wait-for-quiet" -> quiet = flags.duration();
                default -> throw flags.unknown();
            }
        }
        return new ScaleOptions(accounts, locks, interval, duration, warmup, changes, jar, serveJava, serveArgs, simJava,
                activity, simClasspath, work, keep, startTimeout, loadTimeout, seed, quiet);
    }

    int locks() {
        return accounts * locksPerAccount;
    }

    /** Requests a second the service would make if it synced each account exactly once per interval. */
    double idealRequestsPerSecond() {
        return accounts / (interval.toMillis() / 1000.0);
    }
}
