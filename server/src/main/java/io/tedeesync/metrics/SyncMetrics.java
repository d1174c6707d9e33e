package io.tedeesync.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tedeesync.client.RequestListener;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.EngineSnapshot;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.SyncEvent;
import io.tedeesync.sync.SyncListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's Prometheus metrics: API requests by endpoint and status and their latency; accounts by
 * health, locks, stale locks, budget use and how long ago each lock was confirmed, all read from one
 * {@link EngineSnapshot} per scrape (see {@link SnapshotCollector}); events by type; webhooks received
 * and rejected; and the JVM and process metrics of Micrometer's binders.
 *
 * <p>By default no series carries the account, so a scrape of 10,000 accounts is as long as one of a
 * single account. With {@code perAccount} (the {@code serve --metrics-per-account} flag) the request
 * metrics and the per-account gauges carry an {@code account} label, as before this default existed.
 *
 * <p>Labels carry account names and endpoint templates only: never a credential. Thread-safe; scrapes
 * may run concurrently.
 */
public final class SyncMetrics implements SyncListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** With per-account series: each account's request listeners, switched off when it is removed. */
    private final java.util.Map<String, java.util.List<java.util.concurrent.atomic.AtomicBoolean>> listening =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final boolean perAccount;
    private final Meter.MeterProvider<Counter> requests;
    private final Meter.MeterProvider<Timer> latencies;
    private final List<MeterBinder> binders = List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(),
            new ClassLoaderMetrics(), new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
    private final AtomicBoolean watching = new AtomicBoolean();

    /** Metrics without per-account series. */
    public SyncMetrics() {
        this(false);
    }

    /** @param perAccount whether request metrics and the account gauges carry an {@code account} label */
    public SyncMetrics(boolean perAccount) {
        this.perAccount = perAccount;
        requests = Counter.builder("tedee_api_requests").description("Requests sent to the Tedee API").withRegistry(registry);
        latencies = Timer.builder("tedee_api_request_duration").description("Latency of Tedee API requests (sync latency included)")
                .withRegistry(registry);
        binders.forEach(binder -> binder.bindTo(registry));
    }

    /**
     * Series for this instance's part in a cluster: which instance it is ({@code tedee_sync_cluster_instance}, always 1, labelled
     * with its id and name), how many instances are alive, how many accounts it owns, and how often it took over or lost a
     * lease and a write was refused for a lease no longer held.
     */
    public void watchCluster(io.tedeesync.cluster.ClusterMember member, java.util.function.LongSupplier fencedBatches) {
        io.tedeesync.cluster.ClusterView first = member.view();
        Gauge.builder("tedee_sync_cluster_instance", () -> 1).description("This instance, by its id and name")
                .tags("instance", first.instance(), "name", first.name()).register(registry);
        Gauge.builder("tedee_sync_cluster_instances_alive", member,
                m -> m.view().instances().stream().filter(io.tedeesync.cluster.ClusterView.Peer::alive).count())
                .description("Instances whose heartbeat is younger than a lease").register(registry);
        Gauge.builder("tedee_sync_cluster_owned_accounts", member, m -> m.view().owned().size())
                .description("Accounts this instance owns (holds the lease of)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tedee_sync_cluster_takeovers", member, m -> m.takeovers())
                .description("Accounts taken over from an instance that stopped renewing its lease").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tedee_sync_cluster_leases_lost", member, m -> m.leasesLost())
                .description("Leases this instance lost to another (it was paused or cut off past its lease)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tedee_sync_store_fenced_batches", fencedBatches, s -> s.getAsLong())
                .description("Change batches not written because their lease was no longer held").register(registry);
    }

    /** Counts one account's API requests (give it to that account's client builder). */
    public RequestListener requestListener(String account) {
        Tags tags = perAccount ? Tags.of("account", account) : Tags.empty();
        java.util.concurrent.atomic.AtomicBoolean counting = new java.util.concurrent.atomic.AtomicBoolean(true);
        if (perAccount) {
            listening.computeIfAbsent(account, name -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(counting);
        }
        return (endpoint, status, latency) -> {
            if (!counting.get()) {
                return; // a call of a removed account that answered late: its series are gone and stay gone
            }
            Tags byEndpoint = tags.and("endpoint", endpoint.template());
            requests.withTags(byEndpoint.and("status", Integer.toString(status))).increment();
            latencies.withTags(byEndpoint).record(latency);
        };
    }

    /** Drops the series of a removed account (only per-account metrics have any). */
    public void forget(String account) {
        if (!perAccount) {
            return;
        }
        java.util.List<java.util.concurrent.atomic.AtomicBoolean> listeners = listening.remove(account);
        if (listeners != null) {
            listeners.forEach(counting -> counting.set(false));
        }
        for (io.micrometer.core.instrument.Meter meter : registry.getMeters()) {
            if (account.equals(meter.getId().getTag("account"))) {
                registry.remove(meter);
            }
        }
    }

    /** Reads the engine at each scrape: one {@link SyncEngine#snapshot()} per scrape. Call once. */
    public void watch(SyncEngine engine) {
        watch(engine::snapshot);
        Gauge.builder("tedee_webhooks_unknown_event_types", engine, SyncEngine::unknownWebhooks)
                .description("Webhooks of an event type this version does not know").register(registry);
    }

    /** The snapshot figures from {@code snapshots}, called once per scrape. */
    void watch(Supplier<EngineSnapshot> snapshots) {
        if (!watching.compareAndSet(false, true)) {
            throw new IllegalStateException("the metrics already watch an engine");
        }
        registry.getPrometheusRegistry().register(new SnapshotCollector(snapshots, perAccount));
    }

    @Override
    public void onChanges(ChangeBatch batch) {
        for (SyncEvent event : batch.events()) {
            Counter.builder("tedee_events").description("Change events emitted").tag("type", event.getClass().getSimpleName())
                    .register(registry).increment();
        }
    }

    /** A webhook that reached the engine; {@code outcome} is applied, stale, unknown_device or unknown_event. */
    public void webhookReceived(String outcome) {
        Counter.builder("tedee_webhooks_received").description("Webhooks accepted, by outcome").tag("outcome", outcome)
                .register(registry).increment();
    }

    /** A webhook refused: bad_secret, too_large, malformed (before the engine), not_written (the store did not take it). */
    public void webhookRejected(String reason) {
        Counter.builder("tedee_webhooks_rejected").description("Webhooks refused, by reason").tag("reason", reason)
                .register(registry).increment();
    }

    /** The registry, for the series of other parts of the service (outbound webhooks); {@link #scrape()} shows them too. */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops the binders that hold JVM resources (GC notification listeners) and the registry. */
    @Override
    public void close() {
        for (MeterBinder binder : binders) {
            if (binder instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("could not close {}: {}", binder.getClass().getSimpleName(), e.toString());
                }
            }
        }
        registry.close();
    }
}
