package io.tedeesync.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tedeesync.client.RequestListener;
import io.tedeesync.sync.AccountHealth;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.SyncEvent;
import io.tedeesync.sync.SyncListener;
import java.time.Clock;
import java.util.function.ToDoubleFunction;

/**
 * The service's Prometheus metrics: API requests by account, endpoint and status, their latency,
 * each account's budget use, locks and stale locks, events by type, webhooks received and rejected.
 * Labels carry account names and endpoint templates only: never a credential. Thread-safe.
 */
public final class SyncMetrics implements SyncListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Counts one account's API requests (give it to that account's client builder). */
    public RequestListener requestListener(String account) {
        return (endpoint, status, latency) -> {
            Counter.builder("tedee_api_requests").description("Requests sent to the Tedee API")
                    .tag("account", account).tag("endpoint", endpoint.template()).tag("status", Integer.toString(status))
                    .register(registry).increment();
            Timer.builder("tedee_api_request_duration").description("Latency of Tedee API requests (sync latency included)")
                    .tag("account", account).tag("endpoint", endpoint.template())
                    .register(registry).record(latency);
        };
    }

    /** Gauges read from the engine at scrape time. */
    public void watch(SyncEngine engine, Clock clock) {
        for (AccountStatus account : engine.accounts()) {
            String name = account.name();
            gauge("tedee_budget_used_requests", "Requests in the last hour, against the hourly limit", name, engine,
                    e -> status(e, name).requestsLastHour());
            gauge("tedee_budget_limit_requests", "The account's hourly request limit", name, engine, e -> status(e, name).hourlyLimit());
            gauge("tedee_locks", "Locks mirrored", name, engine, e -> status(e, name).locks());
            gauge("tedee_stale_locks", "Locks whose copy is older than the staleness threshold", name, engine,
                    e -> e.locks().stream().filter(lock -> lock.account().equals(name))
                            .filter((MirroredLock lock) -> e.isStale(lock, clock.instant())).count());
            gauge("tedee_account_healthy", "1 when the account's calls succeed, 0.5 degraded, 0 failed or starting", name, engine,
                    e -> health(status(e, name).health()));
        }
        Gauge.builder("tedee_webhooks_unknown_event_types", engine, SyncEngine::unknownWebhooks)
                .description("Webhooks of an event type this version does not know").register(registry);
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

    /** A webhook refused before the engine: bad_secret, too_large, malformed. */
    public void webhookRejected(String reason) {
        Counter.builder("tedee_webhooks_rejected").description("Webhooks refused, by reason").tag("reason", reason)
                .register(registry).increment();
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    private void gauge(String name, String description, String account, SyncEngine engine, ToDoubleFunction<SyncEngine> value) {
        Gauge.builder(name, engine, value).description(description).tag("account", account).register(registry);
    }

    private static AccountStatus status(SyncEngine engine, String account) {
        return engine.accounts().stream().filter(s -> s.name().equals(account)).findFirst().orElseThrow();
    }

    private static double health(AccountHealth health) {
        switch (health) {
            case OK: return 1;
            case DEGRADED: return 0.5;
            default: return 0;
        }
    }
}
