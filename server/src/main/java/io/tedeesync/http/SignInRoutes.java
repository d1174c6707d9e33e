package io.tedeesync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tedeesync.accounts.AccountException;
import io.tedeesync.accounts.SignIn;
import java.net.URI;
import java.util.Map;

/**
 * Sign in with Tedee. {@code GET /oauth/start?account=NAME} (admin token) sends the browser to Tedee's
 * sign-in page: a {@code 302}, or, for a page's script asking with {@code Accept: application/json},
 * {@code {"authorizeUrl": ...}} to go to itself. {@code GET /oauth/callback} is where Tedee sends the
 * browser back: it needs no token (the single-use state is the proof) and answers a small page saying
 * which account is connected, or what went wrong. Thread-safe.
 */
final class SignInRoutes {
    /** The pages load nothing and run nothing; the callback's URL holds a code, so no referrer and no cache. */
    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff");

    private final SignIn signIn;
    private final ApiAccess access;

    /** @param signIn null when sign-in is not configured */
    SignInRoutes(SignIn signIn, ApiAccess access) {
        this.signIn = signIn;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        routes.get("/oauth/start", this::start);
        routes.get("/oauth/callback", this::callback);
    }

    private void start(Context ctx) {
        if (!access.checkAdmin(ctx, false)) {
            return;
        }
        if (signIn == null) {
            ApiJson.error(ctx, 404, "sign_in_off", "sign-in with Tedee is not configured: start the service with --oauth-client-id");
            return;
        }
        URI authorize;
        try {
            authorize = signIn.start(ctx.queryParam("account"));
        } catch (AccountException e) {
            ApiJson.error(ctx, e.reason().status(), e.reason().code(), e.getMessage());
            return;
        }
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/json")) {
            ApiJson.send(ctx, 200, Map.of("authorizeUrl", authorize.toString()));
            return;
        }
        PAGE_HEADERS.forEach(ctx::header);
        ctx.redirect(authorize.toString(), io.javalin.http.HttpStatus.FOUND);
    }

    private void callback(Context ctx) {
        PAGE_HEADERS.forEach(ctx::header);
        if (signIn == null) {
            page(ctx, 404, "Sign-in is not configured", "This service was started without --oauth-client-id.");
            return;
        }
        SignIn.Outcome outcome = signIn.finish(ctx.queryParam("state"), ctx.queryParam("code"), ctx.queryParam("error"),
                ctx.queryParam("error_description"));
        if (outcome instanceof SignIn.Outcome.Connected connected) {
            page(ctx, 200, "Account " + connected.account() + " is connected",
                    connected.locks() + (connected.locks() == 1 ? " lock" : " locks") + " found; tedee-sync "
                            + (connected.added() ? "is syncing it now." : "uses the new sign-in from now on."));
        } else if (outcome instanceof SignIn.Outcome.Failed failed) {
            page(ctx, failed.status(), failed.title(), failed.detail());
        }
    }

    private static void page(Context ctx, int status, String title, String detail) {
        String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + " - tedee-sync</title>"
                + "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1b1f24}"
                + "h1{font-size:1.4rem}a{color:#0b5cad}</style></head><body>"
                + "<h1 id=\"sign-in-result\" data-status=\"" + status + "\">" + escape(title) + "</h1>"
                + "<p id=\"sign-in-detail\">" + escape(detail) + "</p>"
                + "<p><a id=\"back\" href=\"/#accounts\">Back to the dashboard</a></p></body></html>\n";
        ctx.status(status).contentType("text/html; charset=utf-8").result(html);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
