package io.tedeesync.benchmarks.load;

import ch.qos.logback.classic.Logger;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Load benchmark of the webhook path: webhooks POSTed over HTTP on 127.0.0.1 into the service as
 * {@code tedee-sync serve} runs it (SQLite store), by a JDK {@link HttpClient} with a fixed number of
 * requests in flight. Reports the sustained rate of acknowledged (2xx) webhooks and the latency
 * percentiles, then checks the store: every acknowledged webhook must be a {@code StateChanged} event
 * with source {@code WEBHOOK} in the SQLite file after the service closed, and every lock must be stored
 * in the state of its last acknowledged webhook.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tedeesync.benchmarks.load.WebhookLoad [--webhooks 50000]
 *     [--concurrency 32] [--locks 1000] [--warmup 50000] [--max-seconds 120] [--log-level WARN] [--mode serve]
 *     [--client jdk]</pre>
 *
 * <p>Exit status: 0 when no acknowledged webhook was lost (whether or not the targets were met), 1 when
 * one was, 2 for bad arguments, 3 when the run could not be carried out.
 */
public final class WebhookLoad {
    static final double TARGET_RATE = 5_000;
    static final double TARGET_P99_MILLIS = 50;
    private static final Duration MIRROR_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WARMUP_LIMIT = Duration.ofSeconds(90);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private WebhookLoad() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LoadOptions.USAGE);
            return 2;
        }
        // The service logs its own lines at INFO and libraries at WARN (LogSetup); this makes the root level explicit.
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(options.logLevel());
        try {
            return measure(options, out) ? 0 : 1;
        } catch (Exception e) {
            // A failed run is a bug in the rig or the service: the trace goes to the log, where it belongs.
            LoggerFactory.getLogger(WebhookLoad.class).error("the load run failed", e);
            return 3;
        }
    }

    /** Runs the load; returns whether every acknowledged webhook is in the store. */
    private static boolean measure(LoadOptions options, PrintStream out) throws Exception {
        out.printf(Locale.ROOT, "webhook load (mode %s%s): %,d webhooks (+%,d warm-up), %d in flight, %,d locks, log level %s, limit %d s%n",
                options.mode().label, options.mode() == LoadOptions.Mode.ENGINE ? "" : options.socketClient() ? ", socket client" : ", JDK HttpClient",
                options.webhooks(), options.warmup(), options.concurrency(), options.locks(), options.logLevel(),
                options.timeLimit().toSeconds());
        out.printf(Locale.ROOT, "  %s, %s %s, %d cores, max heap %d MB, %s%n", Instant.now(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("os.name") + " " + System.getProperty("os.version"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        try (LoadRig rig = LoadRig.start(options.locks())) {
            long mirrorStart = System.nanoTime();
            rig.awaitMirrored(client, MIRROR_TIMEOUT);
            out.printf(Locale.ROOT, "  service up, %,d locks mirrored (%d ms after start), store %s%n", options.locks(),
                    (System.nanoTime() - mirrorStart) / 1_000_000, rig.dataDir());
            WebhookSource source = new WebhookSource(rig.lockIds(), rig.userIdentity(), Clock.systemUTC());
            URI target = options.mode() == LoadOptions.Mode.HTTP_404 ? rig.wrongSecretUri() : rig.webhookUri();
            SocketClient sockets = new SocketClient(new InetSocketAddress("127.0.0.1", target.getPort()), target.getPath());
            Transport transport = options.mode() == LoadOptions.Mode.ENGINE ? Transport.engine(rig.engine())
                    : options.socketClient() ? Transport.socket(sockets)
                    : Transport.http(client, target, REQUEST_TIMEOUT);
            LoadDriver driver = new LoadDriver(transport, source);

            LoadDriver.Phase warmup = options.warmup() == 0 ? null : driver.run(options.warmup(), options.concurrency(), WARMUP_LIMIT);
            if (warmup != null) {
                out.printf(Locale.ROOT, "  warm-up: %,d answered in %.1f s (%,.0f/s), p99 %.1f ms%n", warmup.answered(),
                        warmup.windowNanos() / 1e9, warmup.answeredPerSecond(), new Latencies(warmup.latencyNanos()).percentileMillis(99));
            }
            CpuUse cpu = new CpuUse();
            Instant measuredFrom = Instant.now();
            cpu.start();
            LoadDriver.Phase measured = driver.run(options.webhooks(), options.concurrency(), options.timeLimit());
            CpuUse.Usage usage = cpu.stop();

            sockets.close();
            rig.stopService();
            reportLoad(out, options.mode(), measuredFrom, measured, usage);
            if (options.mode() == LoadOptions.Mode.HTTP_404) {
                out.println();
                out.println("store check: not applicable (http-404 sends nothing the service applies)");
                return true;
            }
            return reportStore(out, rig, source, StoreTally.read(rig.dataDir()), warmup, measured);
        }
    }

    private static void reportLoad(PrintStream out, LoadOptions.Mode mode, Instant from, LoadDriver.Phase phase, CpuUse.Usage usage) {
        Latencies latencies = new Latencies(phase.latencyNanos());
        boolean baseline = mode == LoadOptions.Mode.HTTP_404;
        double rate = baseline ? phase.answeredPerSecond() : phase.acknowledgedPerSecond();
        double p99 = latencies.percentileMillis(99);
        out.println();
        out.println("measured phase (from " + from + ")");
        out.printf(Locale.ROOT, "  sent %,d, answered %,d, 2xx %,d, non-2xx %,d, no answer %,d  (statuses %s, outcomes %s)%n",
                phase.sent(), phase.answered() - phase.failed(), phase.acknowledged(), phase.rejected(), phase.failed(),
                phase.statuses(), phase.outcomes());
        if (phase.firstFailure() != null) {
            out.println("  first failure: " + phase.firstFailure());
        }
        out.printf(Locale.ROOT, "  window %.2f s, sustained %,.0f %s/s%n", phase.windowNanos() / 1e9, rate,
                baseline ? "answered (404) requests" : "acknowledged webhooks");
        out.printf(Locale.ROOT, "  per whole second: %s%n", perSecond(baseline ? null : phase.ackedPerSecond()));
        out.printf(Locale.ROOT, "  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (mean %.2f, %,d samples)%n",
                latencies.percentileMillis(50), latencies.percentileMillis(90), p99, latencies.percentileMillis(99.9),
                latencies.maxMillis(), latencies.meanMillis(), latencies.count());
        int cores = Runtime.getRuntime().availableProcessors();
        double perWebhookMicros = rate == 0 ? 0 : usage.processCores() / rate * 1e6;
        out.printf(Locale.ROOT, "  CPU: this JVM %.2f cores (%.0f µs per webhook), machine %.0f %% busy of %d cores (%.2f cores outside this JVM)%n",
                usage.processCores(), perWebhookMicros, usage.machineBusy() * 100, cores,
                Math.max(0, usage.machineBusy() * cores - usage.processCores()));
        out.printf(Locale.ROOT, "    %-44s %.2f%n", mode == LoadOptions.Mode.ENGINE ? "load-sender-# (parse + engine + store)"
                : "load-sender-# (load generator)", phase.senderCpuNanos() / (double) phase.windowNanos());
        usage.coresByThreadGroup().entrySet().stream().filter(group -> group.getValue() >= 0.01)
                .forEach(group -> out.printf(Locale.ROOT, "    %-44s %.2f%n", group.getKey(), group.getValue()));
        out.println("    (GC and JIT compiler threads are not Java threads: the rest of this JVM's figure)");
        if (mode == LoadOptions.Mode.SERVE) {
            out.printf(Locale.ROOT, "  target >= %,.0f/s: %s   target p99 < %.0f ms: %s   all answers 2xx: %s%n", TARGET_RATE,
                    verdict(rate >= TARGET_RATE), TARGET_P99_MILLIS, verdict(p99 < TARGET_P99_MILLIS),
                    verdict(phase.rejected() == 0 && phase.failed() == 0 && phase.answered() == phase.sent()));
        } else {
            out.println("  targets: not judged in this mode (it leaves part of the path out)");
        }
    }

    private static boolean reportStore(PrintStream out, LoadRig rig, WebhookSource source, StoreTally tally,
            LoadDriver.Phase warmup, LoadDriver.Phase measured) {
        long acknowledged = measured.acknowledged() + (warmup == null ? 0 : warmup.acknowledged());
        long unanswered = measured.sent() - measured.answered() + measured.failed()
                + (warmup == null ? 0 : warmup.sent() - warmup.answered() + warmup.failed());
        long stored = tally.webhookStateChanges();
        int mismatched = 0;
        String example = null;
        for (int lock = 0; lock < source.locks(); lock++) {
            int expected = source.lastAcknowledgedState(lock);
            Integer actual = tally.stateBySerial().get(rig.serials().get(lock));
            if (expected != -1 && (actual == null || actual != expected)) {
                mismatched++;
                example = example != null ? example : rig.serials().get(lock) + " stored " + actual + ", last acknowledged " + expected;
            }
        }
        boolean noneLost = stored >= acknowledged && mismatched == 0;
        out.println();
        out.println("store check (SQLite file reopened after the service closed)");
        out.printf(Locale.ROOT, "  events in the store: %s%n", tally.eventsByTypeAndSource());
        out.printf(Locale.ROOT, "  acknowledged webhooks (warm-up + measured): %,d; %s events: %,d%s%n", acknowledged,
                StoreTally.WEBHOOK_STATE_CHANGES, stored, stored == acknowledged ? " (equal)"
                        : stored > acknowledged ? " (more: " + unanswered + " webhook(s) went unanswered and may have been applied)"
                        : " (" + (acknowledged - stored) + " MISSING)");
        out.printf(Locale.ROOT, "  locks stored in the state of their last acknowledged webhook: %,d of %,d%s%n",
                source.locks() - mismatched, source.locks(), example == null ? "" : " (e.g. " + example + ")");
        out.printf(Locale.ROOT, "  no acknowledged webhook lost: %s%n", verdict(noneLost));
        return noneLost;
    }

    private static String perSecond(long[] counts) {
        if (counts == null) {
            return "n/a (counts 2xx answers)";
        }
        if (counts.length <= 2) {
            return Arrays.toString(counts);
        }
        long[] whole = Arrays.copyOf(counts, counts.length - 1); // the last second is partial
        long[] sorted = whole.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "min %,d  median %,d  max %,d  over %d s: %s", sorted[0], sorted[sorted.length / 2],
                sorted[sorted.length - 1], whole.length, Arrays.stream(whole).mapToObj(Long::toString).collect(Collectors.joining(" ")));
    }

    private static String verdict(boolean passed) {
        return passed ? "PASS" : "FAIL";
    }
}
