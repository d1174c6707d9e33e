package io.tedeesync.server;

import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.accounts.AccountClients;
import io.tedeesync.accounts.AccountRegistry;
import io.tedeesync.accounts.SignIn;
import io.tedeesync.cluster.ClusterMember;
import io.tedeesync.cluster.ClusterSettings;
import io.tedeesync.cluster.Forwarder;
import io.tedeesync.http.HttpApi;
import io.tedeesync.metrics.SyncMetrics;
import io.tedeesync.mqtt.MqttBridge;
import io.tedeesync.mqtt.MqttHealth;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.SyncSettings;
import io.tedeesync.sync.TaskScheduler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
    /** Past this many accounts, start-up logs a summary instead of a line per account. */
    private static final int MANY_ACCOUNTS = 20;

    private final LockStore store;
    private final ScheduledExecutorService executor;
    private final ScheduledExecutorService storeThread;
    private final AccountClients clients;
    private final SyncEngine engine;
    private final HttpApi http;
    private final SyncMetrics metrics;
    /** With PostgreSQL: this instance's membership of the cluster; null on SQLite (one instance). */
    private final ClusterMember member;
    /** With --mqtt-url: the locks on the broker; null otherwise. */
    private final MqttBridge mqtt;
    /** Outbound webhooks; null without a sealing key (no admin token and none stored). */
    private final io.tedeesync.outbound.Outbound outbound;

    private TedeeSyncService(LockStore store, ScheduledExecutorService executor, ScheduledExecutorService storeThread,
            AccountClients clients, SyncEngine engine, HttpApi http, SyncMetrics metrics, ClusterMember member, MqttBridge mqtt,
            io.tedeesync.outbound.Outbound outbound) {
        this.member = member;
        this.mqtt = mqtt;
        this.outbound = outbound;
        this.store = store;
        this.executor = executor;
        this.storeThread = storeThread;
        this.clients = clients;
        this.engine = engine;
        this.http = http;
        this.metrics = metrics;
    }

    public static TedeeSyncService start(ServiceSettings settings, Clock clock) {
        LockStore store = LockStore.open(settings.databaseUrl() == null
                ? StoreConfig.sqlite(settings.dataDir())
                : StoreConfig.postgres(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword()));
        // No call blocks a thread: two scheduler threads and the shared client's two serve every account.
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, namedThreads("tedee-sync-engine-"));
        // The store's writes (group commits) and pruning run on their own thread: no engine thread waits for a database.
        ScheduledThreadPoolExecutor storeThread = new ScheduledThreadPoolExecutor(1, namedThreads("tedee-sync-store-"));
        // At stop, timers (call deadlines, retries) are dropped: engine.close() already told and wrote everything.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        storeThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        AccountClients clients = new AccountClients(clock);
        SyncMetrics metrics = new SyncMetrics(settings.metricsPerAccount());
        // On PostgreSQL the instances that share the database share the accounts: each runs only those it holds the lease of.
        ClusterMember member = settings.databaseUrl() == null ? null : new ClusterMember(store.cluster(clock), store,
                settings.cluster() != null ? settings.cluster() : ClusterSettings.DEFAULTS, System::nanoTime,
                System::currentTimeMillis);
        MqttBridge mqtt = null;
        io.tedeesync.outbound.Outbound outbound = null;
        try {
            StoreWriter writer = new StoreWriter(store, clock);
            SyncEngine.Builder builder = SyncEngine.builder()
                    .clock(clock)
                    .scheduler(TaskScheduler.of(executor))
                    .deliveryExecutor(storeThread)
                    .settings(SyncSettings.defaults().withSyncInterval(settings.syncInterval()))
                    .durableListener(writer)
                    .listener(metrics)
                    .listener(new ChangeLog());
            if (member != null) {
                store.fence(member);
                builder.callPermit(member::mayCall);
            }
            io.tedeesync.accounts.CredentialCipher cipher = RuntimeAccounts.cipher(settings, store);
            AccountRegistry registry = RuntimeAccounts.registry(settings, store, cipher, clients, metrics, clock, storeThread);
            List<AccountSpec> accounts = new java.util.ArrayList<>(settings.accounts());
            accounts.addAll(registry.loadStored(RuntimeAccounts.keyHint(settings)));
            if (accounts.isEmpty() && !settings.runtimeAccounts().enabled()) {
                throw new ConfigurationException("no account to mirror: give --personal-key (or TEDEE_PERSONAL_KEY), --access-token or"
                        + " --accounts FILE, or --admin-token to add accounts at runtime");
            }
            if (member == null) {
                seed(builder, accounts, store.loadLocks(), settings, clients, metrics);
            }
            SyncEngine engine = builder.build();
            if (member == null) {
                registry.attach(engine);
            } else {
                registry.attach(engine, Clustered.placement(member));
            }
            metrics.watch(engine);
            outbound = cipher == null ? null : OutboundWebhooks.start(settings, store, cipher, engine, metrics, member, clock);
            MqttHealth mqttHealth = settings.mqtt() == null ? null : MqttHealth.register(settings.mqtt(), clock, metrics.registry());
            AtomicInteger boundPort = new AtomicInteger();
            SignIn signIn = RuntimeAccounts.signIn(settings, registry, clients, clock, boundPort::get);
            HttpApi http = HttpApi.start(new HttpApi.Parts(engine, store, metrics, clock, writer::trouble, settings.webhookSecret(),
                    settings.apiToken(), settings.operationsAllowed(), accounts.size() > 1 || settings.runtimeAccounts().enabled(),
                    registry, settings.runtimeAccounts().adminToken(), signIn,
                    member == null ? null : new HttpApi.ClusterParts(member, new Forwarder(clients.http(), member::owner),
                            SyncSettings.defaults().withSyncInterval(settings.syncInterval()).staleAfter(settings.syncInterval())),
                    outbound == null ? null : outbound.endpoints(), mqttHealth, settings.lowBatteryBelow()), settings.bind(), settings.port());
            boundPort.set(http.port());
            if (settings.mqtt() != null) { // before the engine starts: it hears the first changes too
                mqtt = MqttBridge.start(settings.mqtt(), engine, clock, settings.cluster() != null && settings.cluster().name() != null
                        ? settings.cluster().name() : Clustered.hostName() + "-" + http.port(), member != null, mqttHealth);
            }
            engine.start();
            if (member != null) {
                Clustered.join(member, engine, settings, registry, clients, metrics, http.port());
                metrics.watchCluster(member, store::fencedBatches);
                if (outbound != null) {
                    outbound.wake(); // delivered nothing before the join (EndpointPlacement): its share starts now
                }
            }
            storeThread.scheduleWithFixedDelay(() -> prune(store, clock, settings), 1, 6 * 60, TimeUnit.MINUTES);
            LOG.info("serving on http://{}:{} (store: {}{})", settings.bind(), http.port(), store.describe(),
                    settings.runtimeAccounts().enabled() ? "; accounts API on" + (signIn != null ? ", sign-in with Tedee on" : "") : "");
            if (accounts.isEmpty()) {
                LOG.info("no accounts yet: add one with POST /api/accounts, 'tedee-sync accounts add' or the dashboard");
            }
            return new TedeeSyncService(store, executor, storeThread, clients, engine, http, metrics, member, mqtt, outbound);
        } catch (RuntimeException e) {
            if (outbound != null) {
                outbound.close();
            }
            if (mqtt != null) {
                mqtt.close();
            }
            if (member != null) {
                member.close();
            }
            executor.shutdownNow();
            storeThread.shutdownNow();
            clients.close();
            metrics.close();
            store.close();
            throw e;
        }
    }

    /** Each account into the engine, seeded from what the store knew; one line each for a few, a summary for many. */
    private static void seed(SyncEngine.Builder builder, List<AccountSpec> accounts, Map<String, List<MirroredLock>> saved,
            ServiceSettings settings, AccountClients clients, SyncMetrics metrics) {
        boolean manyAccounts = accounts.size() > MANY_ACCOUNTS;
        int knownLocks = 0;
        for (AccountSpec account : accounts) {
            builder.account(clients.engineAccount(account, metrics.requestListener(account.name())));
            List<MirroredLock> known = saved.getOrDefault(account.name(), List.of());
            builder.seed(account.name(), known);
            knownLocks += known.size();
            if (!manyAccounts || LOG.isDebugEnabled()) {
                String line = "account {}: {} lock(s) known from the store, polling every {} s{}";
                Object[] values = {account.name(), known.size(),
                        (account.syncInterval() != null ? account.syncInterval() : settings.syncInterval()).toSeconds(),
                        settings.webhookSecret() != null ? " until webhooks arrive" : ""};
                if (manyAccounts) {
                    LOG.debug(line, values);
                } else {
                    LOG.info(line, values);
                }
            }
        }
        if (manyAccounts) {
            LOG.info("{} accounts: {} lock(s) known from the store, polling every {} s{}", accounts.size(), knownLocks,
                    settings.syncInterval().toSeconds(), settings.webhookSecret() != null ? " until webhooks arrive" : "");
        }
    }

    public int port() {
        return http.port();
    }

    public SyncEngine engine() {
        return engine;
    }

    /** The store (for tests that check what it holds). */
    LockStore storeForTests() {
        return store;
    }

    /** Timers and tasks waiting in the engine's and the store's executors (for tests that nothing is left behind). */
    int scheduledTasks() {
        return ((ScheduledThreadPoolExecutor) executor).getQueue().size() + ((ScheduledThreadPoolExecutor) storeThread).getQueue().size();
    }

    /** Stops taking requests, stops the engine, lets in-flight calls and writes finish, closes the store. */
    @Override
    public void close() {
        http.close();
        if (outbound != null) {
            outbound.close(); // attempts in flight stay pending: sent again after the restart
        }
        if (member != null) {
            member.close(); // hands every account over: the others take them at once, not after their leases
        }
        engine.close(); // delivers what is queued before it returns
        if (mqtt != null) {
            mqtt.close(); // after the engine's last changes; says offline, then disconnects
        }
        for (ScheduledExecutorService threads : List.of(executor, storeThread)) {
            threads.shutdown();
            try {
                if (!threads.awaitTermination(20, TimeUnit.SECONDS)) {
                    LOG.warn("some work did not finish within 20 s of shutdown");
                    threads.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                threads.shutdownNow();
            }
        }
        clients.close();
        store.close();
        metrics.close();
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
        OutboundWebhooks.prune(store, clock.instant().minus(settings.retention()));
    }

    private static java.util.concurrent.ThreadFactory namedThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
