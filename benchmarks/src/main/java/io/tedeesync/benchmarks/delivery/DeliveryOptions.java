package io.tedeesync.benchmarks.delivery;

import io.tedeesync.benchmarks.scale.Flags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@link DeliveryBenchmark}. Immutable.
 *
 * @param changesPerSecond inbound webhooks (each a real change) per second; 0: as fast as {@code senders} go (closed loop)
 * @param senders          sender threads of the inbound webhooks (each waits for its answer)
 * @param locks            locks on the simulated account
 * @param endpoints        outbound webhook endpoints (each its own receiver); 0: MQTT alone
 * @param warmup           changes made before the window, delivered and checked but not timed
 * @param duration         the measured window
 * @param drainTimeout     after the window, how long to wait for every change to reach every endpoint and MQTT
 * @param jar              the service's runnable jar
 * @param serveJavaOptions JVM options of the service (e.g. {@code -XX:StartFlightRecording=...})
 * @param serveArguments   extra arguments of {@code serve}
 * @param logLevel         the service's {@code TEDEE_SYNC_LOG_LEVEL}
 * @param mosquitto        the broker's executable
 * @param signatureSample  every n-th delivery of each endpoint has its signature verified (the first 100 all)
 * @param work             the run's directory (logs, data, broker config), null for a new one under /tmp
 * @param keep             keep the service's data directory afterwards
 * @param waitForQuiet     how long to wait for a quiet machine before starting (zero: do not wait)
 */
record DeliveryOptions(double changesPerSecond, int senders, int locks, int endpoints, Duration warmup, Duration duration,
        Duration drainTimeout, Path jar, List<String> serveJavaOptions, List<String> serveArguments, String logLevel,
        Path mosquitto, int signatureSample, Path work, boolean keep, Duration waitForQuiet) {

    static final String USAGE = String.join("\n",
            "Usage: benchmarks/delivery/run.sh [options]   (or java -cp benchmarks/target/benchmarks.jar io.tedeesync.benchmarks.delivery.DeliveryBenchmark)",
            "  --rate R|max              inbound changes per second; max: as fast as the senders go (default 100)",
            "  --senders C               sender threads of the inbound webhooks                      (default 8)",
            "  --locks L                 locks on the simulated account                              (default 1000)",
            "  --endpoints E             outbound webhook endpoints, one receiver each; 0: MQTT only (default 10)",
            "  --warmup D                changes before the window, checked but not timed            (default 20s)",
            "  --duration D              the measured window                                         (default 60s)",
            "  --drain-timeout D         after the window, wait for every delivery up to             (default 2m)",
            "  --jar PATH                the service's runnable jar                   (default server/target/tedee-sync.jar)",
            "  --serve-java-opts \"...\"   JVM options of the service, e.g. -XX:StartFlightRecording=...",
            "  --serve-args \"...\"        extra arguments of serve",
            "  --log-level L             the service's TEDEE_SYNC_LOG_LEVEL                          (default INFO, serve's)",
            "  --mosquitto PATH          the MQTT broker to start                                    (default /usr/sbin/mosquitto)",
            "  --signature-sample N      verify the signature of every N-th delivery (first 100 all) (default 10)",
            "  --work DIR                the run's directory                          (default a new /tmp/tedee-delivery-*)",
            "  --keep                    keep the service's data directory",
            "  --wait-for-quiet D        first wait up to D for the cores to be idle                 (default 2m; 0: do not wait)",
            "Durations: 500ms, 20s, 3m, 1h. Exit status: 0 measured, 1 a change was lost, 2 bad arguments, 3 the rig failed.");

    DeliveryOptions {
        if (changesPerSecond < 0 || senders < 1 || locks < 1 || endpoints < 0 || signatureSample < 1) {
            throw new IllegalArgumentException("--rate must not be negative; --endpoints not negative; --senders, --locks, --signature-sample at least 1");
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || warmup.isNegative() || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("--duration must be at least 1s, --warmup and --drain-timeout not negative");
        }
        serveJavaOptions = List.copyOf(serveJavaOptions);
        serveArguments = List.copyOf(serveArguments);
    }

    static DeliveryOptions parse(String... args) {
        double rate = 100;
        int senders = 8;
        int locks = 1000;
        int endpoints = 10;
        Duration warmup = Duration.ofSeconds(20);
        Duration duration = Duration.ofSeconds(60);
        Duration drain = Duration.ofMinutes(2);
        Path jar = Path.of("server/target/tedee-sync.jar");
        List<String> serveJava = List.of();
        List<String> serveArgs = List.of();
        String logLevel = "INFO";
        Path mosquitto = Path.of("/usr/sbin/mosquitto");
        int sample = 10;
        Path work = null;
        boolean keep = false;
        Duration quiet = Duration.ofMinutes(2);
        Flags flags = new Flags(args, Set.of("--keep"));
        while (flags.next()) {
            switch (flags.name()) {
                case "--keep" -> keep = true;
                case "--rate" -> rate = flags.value().equalsIgnoreCase("max") ? 0 : rate(flags);
                case "--senders" -> senders = flags.number();
                case "--locks" -> locks = flags.number();
                case "--endpoints" -> endpoints = flags.number();
                case "--warmup" -> warmup = flags.duration();
                case "--duration" -> duration = flags.duration();
                case "--drain-timeout" -> drain = flags.duration();
                case "--jar" -> jar = flags.path();
                case "--serve-java-opts" -> serveJava = flags.words();
                case "--serve-args" -> serveArgs = flags.words();
                case "--log-level" -> logLevel = flags.value().toUpperCase(Locale.ROOT);
                case "--mosquitto" -> mosquitto = flags.path();
                case "--signature-sample" -> sample = flags.number();
                case "--work" -> work = flags.path();
                case "--wait-for-quiet" -> quiet = flags.duration();
                default -> throw flags.unknown();
            }
        }
        return new DeliveryOptions(rate, senders, locks, endpoints, warmup, duration, drain, jar, serveJava, serveArgs, logLevel,
                mosquitto, sample, work, keep, quiet);
    }

    boolean maxRate() {
        return changesPerSecond == 0;
    }

    /** "100/s" or "max (8 senders)", for the report. */
    String describeRate() {
        return maxRate() ? "max (" + senders + " senders)" : String.format(Locale.ROOT, "%,.0f/s", changesPerSecond);
    }

    private static double rate(Flags flags) {
        try {
            return Double.parseDouble(flags.value());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flags.name() + " needs a number or max, got '" + flags.value() + "'");
        }
    }
}
