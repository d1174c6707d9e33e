package io.tedeesync.http;

import io.javalin.config.RoutesConfig;
import io.tedeesync.store.LockStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/config}: the few facts the dashboard needs before it can draw and subscribe, which the
 * other routes do not give: whether operations are allowed, whether locks carry an account, whether the
 * accounts API (admin token) and sign-in with Tedee are on, what the caller's token opens ({@code access}:
 * {@code admin}, {@code read}), the id
 * of the newest event (so the page can ask the stream for the last few and then follow it), and the low
 * battery threshold of the summary ({@code lowBatteryBelow}, so the page counts as {@code /api/summary} does). Behind the
 * API token like every {@code /api/**} route; never shows a secret. Thread-safe.
 */
final class ConfigRoutes {
    private final LockStore store;
    private final boolean operationsAllowed;
    private final boolean severalAccounts;
    private final boolean accountsApi;
    private final boolean signIn;
    private final ApiAccess access;
    private final int lowBatteryBelow;

    ConfigRoutes(LockStore store, boolean operationsAllowed, boolean severalAccounts, boolean accountsApi,
            boolean signIn, ApiAccess access, int lowBatteryBelow) {
        this.lowBatteryBelow = lowBatteryBelow;
        this.store = store;
        this.operationsAllowed = operationsAllowed;
        this.severalAccounts = severalAccounts;
        this.accountsApi = accountsApi;
        this.signIn = signIn;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/config", ctx -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("operationsAllowed", operationsAllowed);
            body.put("severalAccounts", severalAccounts);
            body.put("accountsApi", accountsApi);
            body.put("signIn", signIn);
            body.put("access", access.level(ctx));
            body.put("lastEventId", store.lastEventId());
            body.put("lowBatteryBelow", lowBatteryBelow);
            ApiJson.send(ctx, 200, body);
        });
    }
}
