package io.tedeesync.outbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tedeesync.store.WebhookStore;
import java.time.Duration;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound webhooks' series: {@code tedee_sync_webhook_deliveries_total{result}} (delivered, failed: given
 * up), {@code tedee_sync_webhook_attempts_total{outcome}} (2xx, 4xx, 5xx, other, timeout, error, refused),
 * {@code tedee_sync_webhook_attempt_duration_seconds}, and, read from the store at each scrape,
 * {@code tedee_sync_webhook_pending} and {@code tedee_sync_webhook_endpoints_disabled}. No series carries a URL or
 * a secret. Thread-safe.
 */
final class OutboundMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundMetrics.class);

    private final MeterRegistry registry;
    private final Timer latency;

    OutboundMetrics(MeterRegistry registry, WebhookStore store) {
        this.registry = registry;
        latency = Timer.builder("tedee_sync_webhook_attempt_duration").description("Latency of outbound webhook attempts")
                .register(registry);
        Gauge.builder("tedee_sync_webhook_pending", store, read(s -> s.pendingCounts().values().stream().mapToLong(Long::longValue).sum()))
                .description("Outbound webhook deliveries not delivered yet").register(registry);
        Gauge.builder("tedee_sync_webhook_endpoints_disabled", store, read(s -> s.endpoints().stream().filter(e -> !e.enabled()).count()))
                .description("Outbound webhook endpoints disabled (410, failing too long, or by the API)").register(registry);
    }

    private static ToDoubleFunction<WebhookStore> read(ToDoubleFunction<WebhookStore> figure) {
        return store -> {
            try {
                return figure.applyAsDouble(store);
            } catch (RuntimeException e) {
                LOG.debug("webhook metrics: the store did not answer: {}", e.getMessage());
                return Double.NaN;
            }
        };
    }

    /** An attempt ended: {@code outcome} as in the class comment. */
    void attempt(String outcome, Duration took) {
        Counter.builder("tedee_sync_webhook_attempts").description("Outbound webhook attempts, by outcome").tag("outcome", outcome)
                .register(registry).increment();
        latency.record(took);
    }

    /** A delivery ended: {@code delivered} or {@code failed}. */
    void finished(String result) {
        Counter.builder("tedee_sync_webhook_deliveries").description("Outbound webhook deliveries finished, by result")
                .tag("result", result).register(registry).increment();
    }
}
