package io.tedeesync.server;

import io.tedeesync.client.TedeeClient;
import io.tedeesync.http.HttpApi;
import io.tedeesync.metrics.SyncMetrics;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.SyncSettings;
import io.tedeesync.sync.TaskScheduler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: the durable store, the sync engine seeded from it, metrics, and the HTTP API.
 * {@link #start} brings them up in the order that serves the last known state at once (stale until the
 * first successful sync); {@link #close} takes them down so that no write is cut in half. Thread-safe.
 */
public final class TedeeSyncService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");

    private final LockStore store;
    private final ScheduledExecutorService executor;
    private final SyncEngine engine;
    private final HttpApi http;

    private TedeeSyncService(LockStore store, ScheduledExecutorService executor, SyncEngine engine, HttpApi http) {
        this.store = store;
        this.executor = executor;
        this.engine = engine;
        this.http = http;
    }

    public static TedeeSyncService start(ServiceSettings settings, Clock clock) {
        LockStore store = LockStore.open(settings.databaseUrl() == null
                ? StoreConfig.sqlite(settings.dataDir())
                : StoreConfig.postgres(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword()));
        // Calls block (up to the request timeout): a thread per account, up to 32, so one slow account
        // does not hold the others.
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(Math.min(32, 2 + settings.accounts().size()), namedThreads());
        try {
            SyncMetrics metrics = new SyncMetrics();
            StoreWriter writer = new StoreWriter(store, clock);
            SyncEngine.Builder builder = SyncEngine.builder()
                    .clock(clock)
                    .scheduler(TaskScheduler.of(executor))
                    .settings(SyncSettings.defaults().withSyncInterval(settings.syncInterval()))
                    .durableListener(writer)
                    .listener(metrics)
                    .listener(new ChangeLog());
            Map<String, List<MirroredLock>> saved = store.loadLocks();
            java.net.http.HttpClient apiClient = SharedHttpClient.create(); // one for all accounts: threads must not follow their number
            for (AccountSpec account : settings.accounts()) {
                builder.account(new AccountConfig(account.name(), TedeeClient.builder()
                        .httpClient(apiClient)
                        .baseUrl(account.apiUrl())
                        .apiVersion(account.apiVersion())
                        .credentials(account.credentials())
                        .clock(clock)
                        .requestListener(metrics.requestListener(account.name())), account.syncInterval(), account.userIdentity()));
                List<MirroredLock> known = saved.getOrDefault(account.name(), List.of());
                builder.seed(account.name(), known);
                LOG.info("account {}: {} lock(s) known from the store, polling every {} s{}", account.name(), known.size(),
                        (account.syncInterval() != null ? account.syncInterval() : settings.syncInterval()).toSeconds(),
                        settings.webhookSecret() != null ? " until webhooks arrive" : "");
            }
            SyncEngine engine = builder.build();
            metrics.watch(engine, clock);
            HttpApi http = HttpApi.start(new HttpApi.Parts(engine, store, metrics, clock, writer::trouble, settings.webhookSecret(),
                    settings.apiToken(), settings.operationsAllowed(), settings.accounts().size() > 1), settings.bind(), settings.port());
            engine.start();
            executor.scheduleWithFixedDelay(() -> prune(store, clock, settings), 0, 6, TimeUnit.HOURS);
            LOG.info("serving on http://{}:{} (store: {})", settings.bind(), http.port(), store.describe());
            return new TedeeSyncService(store, executor, engine, http);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            store.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public SyncEngine engine() {
        return engine;
    }

    /** Stops taking requests, stops the engine, lets in-flight calls and writes finish, closes the store. */
    @Override
    public void close() {
        http.close();
        engine.close();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("some work did not finish within 20 s of shutdown");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        store.close();
        LOG.info("stopped");
    }

    private static void prune(LockStore store, Clock clock, ServiceSettings settings) {
        try {
            int pruned = store.pruneEventsBefore(clock.instant().minus(settings.retention()));
            if (pruned > 0) {
                LOG.info("pruned {} event(s) older than {} days", pruned, settings.retention().toDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not prune old events: {}", e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory namedThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "tedee-sync-engine-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
