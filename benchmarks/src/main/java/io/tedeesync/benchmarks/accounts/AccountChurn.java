package io.tedeesync.benchmarks.accounts;

import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.accounts.RuntimeAccountSettings;
import io.tedeesync.benchmarks.scale.Percentiles;
import io.tedeesync.client.Credentials;
import io.tedeesync.server.ServiceSettings;
import io.tedeesync.server.TedeeSyncService;
import io.tedeesync.simulator.TedeeSimulator;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accounts added and removed at runtime over the accounts API: how long an add (credentials check,
 * sealed row, engine start) and a remove (engine stop after its last write, row and purge) take, one
 * client or several at once, and what the service holds before and after. The simulator and the
 * service run in this JVM, on SQLite in a temporary directory, the way {@code tedee-sync serve} runs.
 *
 * <p>{@code benchmarks/accounts/run.sh [--accounts N] [--clients C] [--rounds R]}
 */
public final class AccountChurn {
    private static final String ADMIN = "churn-admin-token";

    private AccountChurn() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = option(args, "--accounts", 1000);
        int clients = option(args, "--clients", 1);
        int rounds = option(args, "--rounds", 3);
        Path data = Files.createTempDirectory("tedee-sync-churn-");
        TedeeSimulator simulator = TedeeSimulator.builder().requestLogCapacity(1000).build();
        simulator.addAccount("home", "home-key");
        simulator.addLock("home", "HOME-00001", "Home");
        for (int i = 0; i < accounts; i++) {
            simulator.addAccount("churn-" + i, "churn-key-" + i);
            simulator.addLock("churn-" + i, String.format("CHN-%05d", i), "Churn " + i);
        }
        simulator.start(0);
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        ServiceSettings settings = new ServiceSettings(List.of(new AccountSpec("home", simulator.baseUrl(), "v37",
                Credentials.personalKey("home-key"), null, null)), Duration.ofSeconds(20), "127.0.0.1", 0, data, null, null, null, null, null,
                true, Duration.ofDays(30))
                .withRuntimeAccounts(new RuntimeAccountSettings(ADMIN, key, null).withApi(simulator.baseUrl(), "v37", Duration.ofSeconds(15)));
        TedeeSyncService service = TedeeSyncService.start(settings, Clock.systemUTC());
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
        URI base = URI.create("http://127.0.0.1:" + service.port());
        ExecutorService workers = Executors.newFixedThreadPool(clients);
        System.out.printf("accounts churn: %d accounts, %d client(s), %d round(s), %d cores%n", accounts, clients, rounds,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("before: %s%n", footprint());
        try {
            for (int round = 1; round <= rounds; round++) {
                double[] adds = run(workers, clients, accounts, i -> send(http, HttpRequest.newBuilder(base.resolve("/api/accounts"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"churn-" + i + "\",\"personalKey\":\"churn-key-" + i + "\"}")), 201));
                long addWall = lastWallMillis;
                double[] removes = run(workers, clients, accounts, i -> send(http,
                        HttpRequest.newBuilder(base.resolve("/api/accounts/churn-" + i + "?purge=true")).DELETE(), 204));
                long removeWall = lastWallMillis;
                System.out.printf("round %d: add %s, %.0f/s; remove %s, %.0f/s; after: %s%n", round, describe(adds),
                        accounts * 1000.0 / addWall, describe(removes), accounts * 1000.0 / removeWall, footprint());
            }
        } finally {
            workers.shutdownNow();
            clientThreads.shutdownNow(); // non-daemon: the JVM would not end
            service.close();
            simulator.close();
        }
    }

    private static long lastWallMillis;

    private interface Call {
        void run(int index) throws Exception;
    }

    /** Runs {@code call} for every index from {@code clients} threads; the latency of each, in ms. */
    private static double[] run(ExecutorService workers, int clients, int count, Call call) throws Exception {
        double[] millis = new double[count];
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        Future<?>[] running = new Future<?>[clients];
        for (int c = 0; c < clients; c++) {
            running[c] = workers.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long at = System.nanoTime();
                    call.run(i);
                    millis[i] = (System.nanoTime() - at) / 1e6;
                }
                return null;
            });
        }
        for (Future<?> future : running) {
            future.get();
        }
        lastWallMillis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        return millis;
    }

    private static void send(HttpClient http, HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + ADMIN).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.statusCode() + ": " + response.body());
        }
    }

    private static String describe(double[] millis) {
        Percentiles percentiles = new Percentiles(millis);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", percentiles.at(50), percentiles.at(99), percentiles.max());
    }

    private static String footprint() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return String.format("%d threads, heap after GC %.1f MB", ManagementFactory.getThreadMXBean().getThreadCount(), heap / 1048576.0);
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
