package io.tedeesync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tedeesync.metrics.SyncMetrics;
import io.tedeesync.mqtt.MqttHealth;
import io.tedeesync.sync.AccountHealth;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.SyncEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health} (per-account status, 503 when nothing works; with several instances also which instance
 * this is, the accounts it owns and every instance alive; with outbound webhooks their endpoints, the disabled ones
 * and what is pending, a disabled one making it {@code degraded}; with MQTT the broker connection, a lost one making
 * it {@code degraded}) and {@code GET /metrics} (Prometheus).
 */
final class StatusRoutes {
    private final SyncEngine engine;
    private final SyncMetrics metrics;
    private final Supplier<Optional<String>> storeTrouble;
    private final String storeDescription;
    /** With several instances: this one's membership; null for one instance. */
    private final io.tedeesync.cluster.ClusterMember cluster;
    /** Outbound webhooks, or null when off. */
    private final io.tedeesync.outbound.WebhookEndpoints webhooks;
    /** The MQTT broker connection, or null without {@code --mqtt-url}. */
    private final MqttHealth mqtt;

    StatusRoutes(SyncEngine engine, SyncMetrics metrics, Supplier<Optional<String>> storeTrouble, String storeDescription,
            io.tedeesync.cluster.ClusterMember cluster, io.tedeesync.outbound.WebhookEndpoints webhooks, MqttHealth mqtt) {
        this.engine = engine;
        this.mqtt = mqtt;
        this.webhooks = webhooks;
        this.cluster = cluster;
        this.metrics = metrics;
        this.storeTrouble = storeTrouble;
        this.storeDescription = storeDescription;
    }

    void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }

    private void health(Context ctx) {
        List<AccountStatus> accounts = engine.accounts();
        // An instance of a cluster that owns no account now is well: it takes some over when another leaves.
        boolean allFailed = (cluster == null || !accounts.isEmpty()) && accounts.stream().allMatch(a -> a.health() == AccountHealth.FAILED);
        boolean anyTrouble = accounts.stream().anyMatch(a -> a.health() != AccountHealth.OK);
        Optional<String> trouble = storeTrouble.get();
        boolean store = trouble.isEmpty();
        Map<String, Object> webhooksView = store ? webhooks() : null;
        boolean webhookWarning = webhooksView != null && Boolean.TRUE.equals(webhooksView.get("warning"));
        boolean mqttDown = mqtt != null && !mqtt.connected(); // a missing output, never "failed": the mirror works
        String status = allFailed || !store ? "failed" : anyTrouble || webhookWarning || mqttDown ? "degraded" : "ok";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        Map<String, Object> storeView = new LinkedHashMap<>();
        storeView.put("healthy", store);
        storeView.put("kind", storeDescription);
        trouble.ifPresent(reason -> storeView.put("reason", reason));
        body.put("store", storeView);
        if (cluster != null && cluster.view().url() != null) { // from the moment it joined
            io.tedeesync.cluster.ClusterView view = cluster.view();
            body.put("instance", Map.of("id", view.instance(), "name", view.name(), "url", view.url().toString()));
            Map<String, Object> clusterView = new LinkedHashMap<>();
            clusterView.put("ownedAccounts", view.owned());
            clusterView.put("instances", view.instances().stream().map(peer -> {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("id", peer.id());
                one.put("url", peer.url());
                one.put("alive", peer.alive());
                one.put("accounts", peer.accounts());
                return one;
            }).toList());
            body.put("cluster", clusterView);
        }
        body.put("accounts", accounts.stream().map(StatusRoutes::account).toList());
        if (webhooksView != null) {
            body.put("webhooks", webhooksView);
        }
        if (mqtt != null) {
            body.put("mqtt", mqtt());
        }
        ApiJson.send(ctx, "failed".equals(status) ? 503 : 200, body);
    }

    /** The broker connection: whether it is up, since when, the broker without credentials, the last error without them. */
    private Map<String, Object> mqtt() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("connected", mqtt.connected());
        view.put("since", mqtt.since());
        view.put("broker", mqtt.broker());
        view.put("lastError", mqtt.lastError());
        return view;
    }

    /**
     * The outbound webhooks: endpoints, those disabled with why, deliveries pending; {@code warning} when the service
     * disabled one (410, failing too long), which makes the status {@code degraded}, never {@code failed}. Null when off
     * or when the store does not answer (the store's part says so).
     */
    private Map<String, Object> webhooks() {
        if (webhooks == null) {
            return null;
        }
        io.tedeesync.outbound.WebhooksHealth health;
        try {
            health = webhooks.health();
        } catch (RuntimeException e) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("endpoints", health.endpoints());
        view.put("pending", health.pending());
        view.put("warning", health.warning());
        view.put("disabled", health.disabled().stream().map(endpoint -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", endpoint.id());
            one.put("reason", endpoint.disabledReason());
            one.put("disabledAt", endpoint.disabledAt());
            return one;
        }).toList());
        return view;
    }

    private static Map<String, Object> account(AccountStatus status) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", status.name());
        view.put("status", status.health().name().toLowerCase(java.util.Locale.ROOT));
        view.put("reason", status.reason());
        view.put("locks", status.locks());
        view.put("mode", status.mode());
        view.put("syncIntervalSeconds", status.effectiveInterval().toSeconds());
        view.put("requestsLastHour", status.requestsLastHour());
        view.put("hourlyLimit", status.hourlyLimit());
        view.put("budgetLimited", status.budgetLimited());
        view.put("lastSuccessAt", status.lastSuccessAt());
        view.put("blockedUntil", status.blockedUntil());
        view.put("webhooksReceived", status.webhooksReceived());
        return view;
    }
}
