package io.tedeesync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tedeesync.metrics.SyncMetrics;
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
 * this is, the accounts it owns and every instance alive) and {@code GET /metrics} (Prometheus).
 */
final class StatusRoutes {
    private final SyncEngine engine;
    private final SyncMetrics metrics;
    private final Supplier<Optional<String>> storeTrouble;
    private final String storeDescription;
    /** With several instances: this one's membership; null for one instance. */
    private final io.tedeesync.cluster.ClusterMember cluster;

    StatusRoutes(SyncEngine engine, SyncMetrics metrics, Supplier<Optional<String>> storeTrouble, String storeDescription,
            io.tedeesync.cluster.ClusterMember cluster) {
        this.engine = engine;
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
        String status = allFailed || !store ? "failed" : anyTrouble ? "degraded" : "ok";
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
        ApiJson.send(ctx, "failed".equals(status) ? 503 : 200, body);
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
