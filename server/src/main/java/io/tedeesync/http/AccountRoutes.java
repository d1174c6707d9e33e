package io.tedeesync.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tedeesync.accounts.AccountChange;
import io.tedeesync.accounts.AccountCredentials;
import io.tedeesync.accounts.AccountException;
import io.tedeesync.accounts.AccountRegistry;
import io.tedeesync.accounts.AccountView;
import io.tedeesync.accounts.NewAccount;
import io.tedeesync.server.HumanDuration;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.SyncSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/accounts}: list, show, add ({@code POST}: credentials checked with one call first), change
 * ({@code PATCH}: interval, credentials rotation) and remove ({@code DELETE}, {@code ?purge=true} for its
 * locks and events too). The admin token guards them ({@link ApiAccess}). Bodies are JSON objects; an
 * unknown field is refused, so a typo never drops a setting silently; no answer ever holds a secret.
 * Thread-safe.
 */
final class AccountRoutes {
    private static final Set<String> ADD_FIELDS = Set.of("name", "personalKey", "refreshToken", "clientId", "clientSecret", "tokenUrl",
            "syncInterval", "apiUrl", "apiVersion", "userIdentity");
    private static final Set<String> CHANGE_FIELDS = Set.of("personalKey", "refreshToken", "clientId", "clientSecret", "tokenUrl",
            "syncInterval");

    /** How long a change relayed to the account's owner may take: a credentials check, a removal's writes. */
    private static final Duration RELAY_WAIT = Duration.ofSeconds(40);

    private final AccountRegistry registry;
    /** With several instances: one account's routes go to the instance that owns it; null for one instance. */
    private final ClusterRouting cluster;

    AccountRoutes(AccountRegistry registry, ClusterRouting cluster) {
        this.registry = registry;
        this.cluster = cluster;
    }

    void register(RoutesConfig routes) {
        routes.get(ApiAccess.ACCOUNTS, this::list);
        routes.get(ApiAccess.ACCOUNTS + "/{name}", ctx -> owned(ctx, () -> answer(ctx, () -> registry.get(ctx.pathParam("name"))
                .orElseThrow(() -> new AccountException(AccountException.Reason.NOT_FOUND, "no account " + ctx.pathParam("name"))), 200)));
        routes.post(ApiAccess.ACCOUNTS, ctx -> answer(ctx, () -> registry.add(newAccount(body(ctx, ADD_FIELDS))), 201));
        routes.patch(ApiAccess.ACCOUNTS + "/{name}", ctx -> owned(ctx, () -> answer(ctx, () -> registry.change(ctx.pathParam("name"),
                change(body(ctx, CHANGE_FIELDS))), 200)));
        routes.delete(ApiAccess.ACCOUNTS + "/{name}", ctx -> owned(ctx, () -> remove(ctx)));
    }

    /**
     * Every account; with several instances, this one's as it has them now (with {@code instance}, the name of the
     * instance that owns it) and the others' as their owners last stored them (at most ten seconds old), by name.
     */
    private void list(Context ctx) {
        if (cluster == null) {
            ApiJson.send(ctx, 200, registry.list().stream().map(AccountRoutes::json).toList());
            return;
        }
        java.util.TreeMap<String, Object> all = new java.util.TreeMap<>();
        for (AccountView view : registry.list()) {
            Map<String, Object> fields = json(view);
            fields.put("instance", cluster.instanceName());
            all.put(view.name(), fields);
        }
        for (JsonNode other : cluster.othersAccounts()) {
            all.putIfAbsent(other.path("name").asText(), other);
        }
        ApiJson.send(ctx, 200, List.copyOf(all.values()));
    }

    /** Runs the route here, unless another instance owns the account: then its answer, relayed. */
    private void owned(Context ctx, Runnable here) throws InterruptedException {
        if (cluster == null || cluster.account(ctx, ctx.pathParam("name"), ctx.bodyAsBytes(), RELAY_WAIT) == ClusterRouting.Route.HERE) {
            here.run();
        }
    }

    private void remove(Context ctx) {
        String purge = ctx.queryParam("purge");
        if (purge != null && !purge.equals("true") && !purge.equals("false")) {
            ApiJson.error(ctx, 400, AccountException.Reason.INVALID.code(), "purge is true or false");
            return;
        }
        try {
            registry.remove(ctx.pathParam("name"), "true".equals(purge));
            ctx.status(204);
        } catch (AccountException e) {
            ApiJson.error(ctx, e.reason().status(), e.reason().code(), e.getMessage());
        }
    }

    private interface Action {
        AccountView run();
    }

    private static void answer(Context ctx, Action action, int status) {
        try {
            AccountView view = action.run();
            if (status == 201) {
                ctx.header("Location", ApiAccess.ACCOUNTS + "/" + URLEncoder.encode(view.name(), StandardCharsets.UTF_8));
            }
            ApiJson.send(ctx, status, json(view));
        } catch (AccountException e) {
            ApiJson.error(ctx, e.reason().status(), e.reason().code(), e.getMessage());
        }
    }

    /** The JSON of one account. */
    static Map<String, Object> json(AccountView account) {
        return account.fields();
    }

    private static JsonNode body(Context ctx, Set<String> allowed) {
        return ApiJson.body(ctx, allowed, AccountRoutes::invalid);
    }

    private static NewAccount newAccount(JsonNode body) {
        AccountCredentials credentials = credentials(body);
        if (credentials == null) {
            throw invalid("give personalKey, or refreshToken with clientId and tokenUrl");
        }
        return new NewAccount(text(body, "name"), credentials, interval(body), url(body, "apiUrl", false), text(body, "apiVersion"),
                text(body, "userIdentity"));
    }

    private static AccountChange change(JsonNode body) {
        AccountChange change = new AccountChange(body.has("syncInterval"), interval(body), credentials(body));
        if (change.isEmpty()) {
            throw invalid("nothing to change: give syncInterval, personalKey, or refreshToken with clientId and tokenUrl");
        }
        return change;
    }

    /** The credentials the body gives, or null when it gives none. */
    private static AccountCredentials credentials(JsonNode body) {
        String key = text(body, "personalKey");
        String refreshToken = text(body, "refreshToken");
        if (key != null && refreshToken != null) {
            throw invalid("give personalKey or refreshToken, not both");
        }
        try {
            if (key != null) {
                return new AccountCredentials.PersonalKey(key);
            }
            if (refreshToken != null) {
                URI tokenUrl = url(body, "tokenUrl", true);
                if (tokenUrl == null) {
                    throw invalid("a refreshToken needs a tokenUrl");
                }
                return new AccountCredentials.OAuth(refreshToken, text(body, "clientId"), text(body, "clientSecret"), tokenUrl);
            }
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (body.has("clientId") || body.has("tokenUrl") || body.has("clientSecret")) {
            throw invalid("clientId, clientSecret and tokenUrl go with a refreshToken");
        }
        return null;
    }

    private static Duration interval(JsonNode body) {
        JsonNode node = body.get("syncInterval");
        if (node == null || node.isNull()) {
            return null;
        }
        Duration interval;
        try {
            if (node.isNumber() && (!node.canConvertToLong() || node.asDouble() != Math.rint(node.asDouble()))) {
                throw new IllegalArgumentException("'" + node + "' is not a whole number of seconds");
            }
            interval = node.isNumber() ? Duration.ofSeconds(node.asLong()) : HumanDuration.parse(node.asText());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid("syncInterval: " + e.getMessage());
        }
        SyncSettings.intervalProblem(interval).ifPresent(problem -> {
            throw invalid("syncInterval " + problem);
        });
        return interval;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return node.asText();
    }

    /** @param query whether the URL may carry a query (a B2C token endpoint's {@code ?p=policy}; never an API's) */
    private static URI url(JsonNode body, String field, boolean query) {
        String text = text(body, field);
        if (text == null) {
            return null;
        }
        try {
            URI uri = URI.create(text.trim());
            boolean web = "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
            if (!web || uri.getHost() == null || uri.getRawUserInfo() != null || (!query && uri.getRawQuery() != null)
                    || uri.getRawFragment() != null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(field + " must be an http(s) URL without user" + (query ? "" : ", query") + " or fragment, e.g. "
                    + (query ? "https://<tenant>.b2clogin.com/<tenant>/<policy>/oauth2/v2.0/token" : "https://api.tedee.com"));
        }
    }

    private static AccountException invalid(String message) {
        return new AccountException(AccountException.Reason.INVALID, message);
    }
}
