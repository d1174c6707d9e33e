package io.tedeesync.benchmarks.delivery;

import io.tedeesync.benchmarks.load.SocketClient;
import io.tedeesync.benchmarks.load.Transport;
import io.tedeesync.benchmarks.load.WebhookSource;
import io.tedeesync.benchmarks.scale.Durations;
import io.tedeesync.benchmarks.scale.Machine;
import io.tedeesync.benchmarks.scale.ProcFs;
import io.tedeesync.benchmarks.scale.WindowCpu;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delivery benchmark of issue 12: how many events a second {@code tedee-sync serve} delivers to 10 signed
 * outbound webhook endpoints and to MQTT while 1,000 locks change, and how long a change takes from the inbound
 * Tedee webhook that made it to each receiver.
 *
 * <ol>
 *   <li>In this JVM: the simulator with one account of L locks ({@link SimulatedAccount}), E receivers
 *       ({@link Receiver}, JDK HttpServer on 127.0.0.1); as child processes: mosquitto on a free port
 *       ({@link Mosquitto}) and the service's jar ({@link ServiceProcess}) with an admin token,
 *       {@code --allow-private-webhook-targets} and {@code --mqtt-url}.
 *   <li>Once every lock is listed: the MQTT subscriber on {@code tedee-sync/+/state} ({@link StateSubscriber}),
 *       then E endpoints through {@code POST /api/webhook-endpoints} (no back-fill: their cursor starts after the
 *       1,000 {@code Added} events).
 *   <li>Changes as inbound {@code lock-status-changed} webhooks ({@link ChangeDriver}) at a fixed rate or as
 *       fast as they are answered: a warm-up, then the measured window; each change noted just before it is sent.
 *   <li>After the window, up to {@code --drain-timeout} for every change to reach every endpoint (at-least-once)
 *       and for MQTT to show every lock's last state; then the queue left ({@code pending}) and the report
 *       ({@link DeliveryReport}).
 * </ol>
 *
 * <p>Exit status: 0 measured, 1 a change was lost (or a delivery failed its signature or id check), 2 bad
 * arguments, 3 the rig failed.
 */
public final class DeliveryBenchmark {
    private static final String TOPIC_PREFIX = "tedee-sync";
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);

    private final DeliveryOptions options;
    private final PrintStream progress;

    private DeliveryBenchmark(DeliveryOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream progress) {
        DeliveryOptions options;
        try {
            options = DeliveryOptions.parse(args);
            if (!Files.isRegularFile(options.jar())) {
                throw new IllegalArgumentException("no service jar at " + options.jar().toAbsolutePath()
                        + " (build it: ./mvnw -B -o -DskipTests -pl server,benchmarks -am package, or pass --jar)");
            }
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                progress.println(e.getMessage());
            }
            progress.println(DeliveryOptions.USAGE);
            return 2;
        }
        try {
            return new DeliveryBenchmark(options, progress).measure(out);
        } catch (Exception e) {
            StringBuilder why = new StringBuilder("delivery: the rig failed: ").append(e);
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                why.append("\n  caused by ").append(cause);
            }
            progress.println(why);
            return 3;
        }
    }

    private int measure(PrintStream out) throws Exception {
        Path work = options.work() != null ? Files.createDirectories(options.work()) : Files.createTempDirectory("tedee-delivery-");
        Machine.waitForQuiet(options.waitForQuiet(), progress);
        Instant startedAt = Instant.now();
        progress.printf("delivery: %,d locks, %d endpoints + MQTT, rate %s, warm-up %s, window %s; run directory %s%n", options.locks(),
                options.endpoints(), options.describeRate(), Durations.format(options.warmup()), Durations.format(options.duration()), work);
        String webhookSecret = randomHex(16);
        String adminToken = randomHex(16);
        AtomicInteger receiverThreads = new AtomicInteger();
        ExecutorService receiverPool = Executors.newFixedThreadPool(Math.max(4, options.endpoints()), runnable -> {
            Thread thread = new Thread(runnable, "delivery-receiver-" + receiverThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        List<Receiver> receivers = new ArrayList<>();
        try (SimulatedAccount account = SimulatedAccount.start(options.locks());
                Mosquitto broker = Mosquitto.start(options.mosquitto(), work);
                ServiceProcess service = ServiceProcess.start(options, work, account.baseUrl(), SimulatedAccount.PERSONAL_KEY,
                        webhookSecret, adminToken, broker.url())) {
            ChangeLedger ledger = new ChangeLedger(account.serials(), options.endpoints());
            for (int sink = 0; sink < options.endpoints(); sink++) {
                receivers.add(Receiver.start(sink, ledger, options.signatureSample(), receiverPool));
            }
            double loaded = service.awaitLoaded(options.locks(), LOAD_TIMEOUT);
            progress.printf("delivery: serve (pid %d, port %d) lists all %,d locks after %.1f s%n", service.pid(), service.port(),
                    options.locks(), loaded);
            try (StateSubscriber subscriber = StateSubscriber.connect(broker, TOPIC_PREFIX, ledger);
                    SocketClient inbound = new SocketClient(new InetSocketAddress("127.0.0.1", service.port()),
                            "/webhooks/tedee/" + webhookSecret)) {
                for (Receiver receiver : receivers) {
                    receiver.secret(service.createEndpoint(receiver.url(), "delivery benchmark " + receiver.url().getPort()).secret());
                }
                WebhookSource source = new WebhookSource(account.lockIds(), account.userIdentity(), Clock.systemUTC());
                ChangeDriver driver = new ChangeDriver(source, ledger, Transport.socket(inbound), options.senders(), options.changesPerSecond());

                progress.printf("delivery: warm-up %s%n", Durations.format(options.warmup()));
                ChangeDriver.Phase warmup = driver.run(options.warmup(), false);
                WindowCpu cpu = new WindowCpu(service.pid(), () -> ProcFs.cpuSeconds(broker.pid()));
                cpu.start();
                long windowStart = System.nanoTime();
                for (Receiver receiver : receivers) {
                    receiver.window(windowStart, windowStart + options.duration().toNanos());
                }
                subscriber.window(windowStart, windowStart + options.duration().toNanos());
                progress.printf("delivery: window %s%n", Durations.format(options.duration()));
                ChangeDriver.Phase window = driver.run(options.duration(), true);
                WindowCpu.Used used = cpu.end();
                double windowSeconds = options.duration().toNanos() / 1e9;

                long receivedBefore = receivers.stream().mapToLong(Receiver::received).sum();
                long drainStart = System.nanoTime();
                Double drained = drain(ledger, service);
                double drainRate = (receivers.stream().mapToLong(Receiver::received).sum() - receivedBefore) * 1e9
                        / Math.max(1, System.nanoTime() - drainStart);
                Map<String, Long> pending = options.endpoints() == 0 ? Map.of() : service.pending();
                DeliveryReport report = new DeliveryReport(new DeliveryReport.Run(options, startedAt, loaded, warmup, window, windowSeconds,
                        ledger, receivers, subscriber, drained, drainRate, pending, used, service.health()));
                report.print(out);
                // Not arrived yet but still queued is not lost (the drain was too short); more missing than queued is.
                long queued = pending.values().stream().mapToLong(Long::longValue).sum();
                boolean lost = report.lostWebhooks() > queued || ledger.mqttWrongFinalStates() > 0 || report.refused() > 0;
                progress.println(lost ? "delivery: LOST or refused deliveries (see the report)" : "delivery: nothing lost");
                return lost ? 1 : 0;
            }
        } finally {
            receivers.forEach(Receiver::close);
            receiverPool.shutdownNow();
            if (!options.keep()) {
                deleteData(work.resolve("data"));
            }
        }
    }

    /** Waits until nothing is missing, or the drain timeout; the seconds it took, or null if something still is. */
    private Double drain(ChangeLedger ledger, ServiceProcess service) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + options.drainTimeout().toNanos();
        long lastSaid = start;
        while (true) {
            long missing = ledger.missing();
            if (missing == 0) {
                return (System.nanoTime() - start) / 1e9;
            }
            if (System.nanoTime() - deadline > 0 || !service.alive()) {
                progress.printf("delivery: %,d deliveries still missing after the drain%s%n", missing,
                        service.alive() ? "" : " (serve died:\n" + service.tail(30) + ")");
                return null;
            }
            if (System.nanoTime() - lastSaid > 10_000_000_000L) {
                progress.printf("delivery: draining, %,d deliveries still missing%n", missing);
                lastSaid = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void deleteData(Path data) {
        if (!Files.exists(data)) {
            return;
        }
        try (var paths = Files.walk(data)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (java.io.IOException e) {
            System.err.println("delivery: could not delete " + data + ": " + e);
        }
    }
}
