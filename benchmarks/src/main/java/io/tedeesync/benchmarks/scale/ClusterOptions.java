package io.tedeesync.benchmarks.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link ClusterBenchmark}: its own options, and every option of the scale benchmark
 * ({@link ScaleOptions}) for the rest ({@code --accounts} counts the accounts of the whole cluster).
 * Immutable.
 *
 * @param scale      the options shared with the scale benchmark
 * @param instances  {@code serve} instances on the one PostgreSQL
 * @param killAfter  kill -9 the last instance this long after the window and measure the takeover; null: no kill
 * @param takeoverSample how many of the killed instance's accounts get a change at the kill, timed to their first sync after
 * @param profile    run the first instance with JFR ({@code settings=profile}) for the whole run
 * @param statements load {@code pg_stat_statements} ({@code shared_preload_libraries}) and report the top statements
 */
record ClusterOptions(ScaleOptions scale, int instances, Duration killAfter, int takeoverSample, boolean profile, boolean statements) {

    static final String USAGE = String.join("\n",
            "Usage: benchmarks/cluster/run.sh [options]   (or java -cp benchmarks/target/benchmarks.jar io.tedeesync.benchmarks.scale.ClusterBenchmark)",
            "  --instances N             serve instances sharing one PostgreSQL               (default 3)",
            "  --kill-after D            kill -9 the last instance D after the window, time the takeover (default: no kill)",
            "  --takeover-sample K       the killed instance's accounts changed at the kill    (default 200)",
            "  --profile                 JFR (settings=profile) on the first instance: instance-1.jfr",
            "  --no-statements           do not load pg_stat_statements",
            "and the scale benchmark's options (--accounts is the whole cluster's):",
            ScaleOptions.USAGE.substring(ScaleOptions.USAGE.indexOf('\n') + 1));

    ClusterOptions {
        if (instances < 1) {
            throw new IllegalArgumentException("--instances must be at least 1");
        }
        if (killAfter != null && instances < 2) {
            throw new IllegalArgumentException("--kill-after needs at least 2 instances: a survivor takes over");
        }
    }

    static ClusterOptions parse(String... args) {
        int instances = 3;
        Duration killAfter = null;
        int sample = 200;
        boolean profile = false;
        boolean statements = true;
        List<String> rest = new ArrayList<>();
        for (int index = 0; index < args.length; index++) {
            String name = args[index];
            switch (name) {
                case "--profile" -> profile = true;
                case "--no-statements" -> statements = false;
                case "--instances", "--kill-after", "--takeover-sample" -> {
                    if (index + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value after " + name);
                    }
                    String value = args[++index];
                    try {
                        switch (name) {
                            case "--instances" -> instances = Integer.parseInt(value);
                            case "--takeover-sample" -> sample = Integer.parseInt(value);
                            default -> killAfter = Durations.parse(value);
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(name + " needs a whole number, got '" + value + "'");
                    }
                }
                default -> rest.add(name);
            }
        }
        return new ClusterOptions(ScaleOptions.parse(rest.toArray(String[]::new)), instances, killAfter, sample, profile, statements);
    }

    /** Accounts per instance when they are spread evenly. */
    double accountsPerInstance() {
        return scale.accounts() / (double) instances;
    }
}
