package io.tedeesync.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may call what. With an API token, every {@code /api/**} call needs {@code Authorization: Bearer
 * <token>} (the event stream alone also takes {@code ?access_token=}, as a browser's {@code EventSource}
 * cannot send headers). The accounts routes ({@code /api/accounts/**}, {@code /oauth/start}) need the
 * admin token; without one configured they answer 403; the API token may read accounts but not change
 * them. The same goes for the outbound webhook endpoints ({@code /api/webhook-endpoints/**}). The admin token also
 * opens every other route. Tokens are compared in constant time. Immutable.
 */
final class ApiAccess {
    static final String EVENT_STREAM = "/api/events/stream";
    static final String ACCOUNTS = "/api/accounts";
    static final String WEBHOOK_ENDPOINTS = "/api/webhook-endpoints";

    private final byte[] readHeader;
    private final byte[] adminHeader;

    ApiAccess(String apiToken, String adminToken) {
        this.readHeader = apiToken == null ? null : ("Bearer " + apiToken).getBytes(StandardCharsets.UTF_8);
        this.adminHeader = adminToken == null ? null : ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
    }

    /** Before every {@code /api/**} route. */
    void check(Context ctx) {
        String path = ctx.path();
        if (path.equals(ACCOUNTS) || path.startsWith(ACCOUNTS + "/")) {
            checkAdmin(ctx, ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD);
            return;
        }
        if (path.equals(WEBHOOK_ENDPOINTS) || path.startsWith(WEBHOOK_ENDPOINTS + "/")) {
            checkAdmin(ctx, ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD, "webhooks_api_off",
                    "managing webhook endpoints needs an admin token: start the service with --admin-token (or TEDEE_ADMIN_TOKEN)",
                    "webhook endpoints");
            return;
        }
        if (readHeader == null) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header != null ? matches(readHeader, header) || matches(adminHeader, header) : streamToken(ctx, path)) {
            return;
        }
        refuse(ctx, 401, "unauthorized", "this API needs Authorization: Bearer <api token>");
    }

    /**
     * The event stream's {@code ?access_token=}: the API token only, since the admin token must never travel
     * in a URL. Nothing here logs a URL with its query; keep it that way, as access logs keep query strings.
     */
    private boolean streamToken(Context ctx, String path) {
        String query = EVENT_STREAM.equals(path) ? ctx.queryParam("access_token") : null;
        return query != null && matches(readHeader, "Bearer " + query);
    }

    /**
     * What the request's {@code Authorization} header opens, for the dashboard: {@code admin}, {@code read} (the
     * API token, or no header where reading needs none), or {@code none} (a token that is neither).
     */
    String level(Context ctx) {
        String given = ctx.header("Authorization");
        if (matches(adminHeader, given)) {
            return "admin";
        }
        return matches(readHeader, given) || readHeader == null && given == null ? "read" : "none";
    }

    /**
     * The admin routes: 403 when there is no admin token, 401 without a valid token, 403 for the API token
     * when it would change something. Answers and stops the request unless allowed; returns whether allowed.
     */
    boolean checkAdmin(Context ctx, boolean readOnly) {
        return checkAdmin(ctx, readOnly, "accounts_api_off", "managing accounts needs an admin token: start the service with --admin-token"
                + " (or TEDEE_ADMIN_TOKEN)", "accounts");
    }

    private boolean checkAdmin(Context ctx, boolean readOnly, String offError, String offMessage, String what) {
        if (adminHeader == null) {
            refuse(ctx, 403, offError, offMessage);
            return false;
        }
        String given = ctx.header("Authorization");
        if (matches(adminHeader, given)) {
            return true;
        }
        if (matches(readHeader, given)) {
            if (readOnly) {
                return true;
            }
            refuse(ctx, 403, "forbidden", "the API token can read " + what + " but not change them: use the admin token");
            return false;
        }
        refuse(ctx, 401, "unauthorized", "this route needs Authorization: Bearer <admin token>");
        return false;
    }

    private static boolean matches(byte[] expected, String given) {
        return expected != null && given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
    }

    private static void refuse(Context ctx, int status, String error, String message) {
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ApiJson.error(ctx, status, error, message);
        ctx.skipRemainingHandlers();
    }
}
