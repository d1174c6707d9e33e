package io.tedeesync.benchmarks.load;

import io.tedeesync.accounts.AccountSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.Credentials;
import io.tedeesync.server.ServiceSettings;
import io.tedeesync.server.TedeeSyncService;
import io.tedeesync.simulator.SimAccount;
import io.tedeesync.simulator.TedeeSimulator;
import io.tedeesync.store.LockStore;
import io.tedeesync.sync.SyncEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the load runs against, all in this JVM and on 127.0.0.1: the simulated Tedee cloud with one
 * account of {@code L} locks, and the service exactly as {@code tedee-sync serve} starts it
 * ({@link TedeeSyncService}: SQLite store in a temporary data directory, sync engine, HTTP API with the
 * webhook route). {@link #close()} stops both and deletes the directory. Not thread-safe.
 */
final class LoadRig implements AutoCloseable {
    static final String ACCOUNT = "load";
    /** {@code serve}'s default {@code --sync-interval}. */
    private static final Duration SYNC_INTERVAL = Duration.ofSeconds(20);

    private final Path dataDir;
    private final TedeeSimulator simulator;
    private final SimAccount account;
    private final List<Long> lockIds;
    private final List<String> serials;
    private final String webhookSecret;
    private TedeeSyncService service;

    private LoadRig(Path dataDir, TedeeSimulator simulator, SimAccount account, List<Long> lockIds, List<String> serials,
            String webhookSecret) {
        this.dataDir = dataDir;
        this.simulator = simulator;
        this.account = account;
        this.lockIds = lockIds;
        this.serials = serials;
        this.webhookSecret = webhookSecret;
    }

    static LoadRig start(int locks) throws IOException {
        Path dataDir = Files.createTempDirectory("webhook-load-");
        TedeeSimulator simulator = TedeeSimulator.builder().build();
        LoadRig rig = null;
        try {
            String key = "load-personal-key";
            SimAccount account = simulator.addAccount(ACCOUNT, key);
            List<Long> ids = new ArrayList<>(locks);
            List<String> serials = new ArrayList<>(locks);
            for (int index = 0; index < locks; index++) {
                String serial = String.format("%06d-%05d", 100_000 + index / 100_000, index % 100_000);
                ids.add(simulator.addLock(ACCOUNT, serial, "Door " + (index + 1)));
                serials.add(serial);
                simulator.setLockState(serial, WebhookSource.LOCKED);
            }
            simulator.start(0);
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            rig = new LoadRig(dataDir, simulator, account, List.copyOf(ids), List.copyOf(serials), HexFormat.of().formatHex(secret));
            rig.service = TedeeSyncService.start(new ServiceSettings(
                    List.of(new AccountSpec(ACCOUNT, simulator.baseUrl(), "v37", Credentials.personalKey(key), null, null)),
                    SYNC_INTERVAL, "127.0.0.1", 0, dataDir, null, null, null, rig.webhookSecret, null, false, LockStore.DEFAULT_RETENTION),
                    Clock.systemUTC());
            return rig;
        } catch (RuntimeException e) {
            if (rig != null) {
                rig.close();
            } else {
                simulator.close();
                deleteRecursively(dataDir);
            }
            throw e;
        }
    }

    List<Long> lockIds() {
        return lockIds;
    }

    List<String> serials() {
        return serials;
    }

    String userIdentity() {
        return account.userIdentity();
    }

    URI webhookUri() {
        return URI.create("http://127.0.0.1:" + service.port() + "/webhooks/tedee/" + webhookSecret);
    }

    /** The webhook route with a wrong secret: answered 404 before the body is parsed. */
    URI wrongSecretUri() {
        return URI.create("http://127.0.0.1:" + service.port() + "/webhooks/tedee/not-the-secret");
    }

    SyncEngine engine() {
        return service.engine();
    }

    Path dataDir() {
        return dataDir;
    }

    /** Waits until {@code GET /api/locks} lists every lock: the service's first get-all is done. */
    void awaitMirrored(HttpClient client, Duration timeout) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/api/locks")).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int listed = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode locks = json.readTree(response.body());
                listed = locks.size();
                if (listed == lockIds.size()) {
                    return;
                }
            }
            Thread.sleep(100); // waiting on a real server, not a test: nothing to be told by
        }
        throw new IllegalStateException("the service listed " + listed + " of " + lockIds.size() + " locks after " + timeout.toSeconds() + " s");
    }

    /** Closes the service the way {@code serve} does on SIGTERM: HTTP first, then the engine, then the store. */
    void stopService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    @Override
    public void close() {
        try {
            stopService();
        } finally {
            simulator.close();
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }
}
