package io.tedeesync.simulator.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP handler: catches the world up with the clock, routes, and sends each kind of request
 * through its pipeline. An API request goes: version (404) → route (404/405) → authentication (401)
 * → rate limit (429) → an injected fault, if one waits → the handler; a sync request is then noted
 * against the sync floor (never refused for it). An OAuth request (authorize, token) goes: route
 * (404) → a fault aimed at its route, if one waits → the handler. Requests to {@code /api} and
 * {@code /oauth2} are recorded. Thread-safe; one instance serves all server threads.
 */
final class FrontDoor implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(FrontDoor.class);
    private static final byte[] NO_BODY = new byte[0];
    private static final String MALFORMED = "{\"result\":[{\"id\":1000,\"isConnected\":tr";

    private final Simulation simulation;
    private final Router router;

    FrontDoor(Simulation simulation) {
        this.simulation = simulation;
        this.router = Routes.table(simulation);
    }

    @Override
    public void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        try {
            serve(exchange, method, path);
        } catch (IOException e) {
            log.warn("Simulator could not answer {} {}: {}", method, path, e.toString());
        } catch (RuntimeException e) {
            log.error("Simulator failed on {} {}", method, path, e);
            try {
                write(exchange, Response.error(500, "Simulator error"));
            } catch (IOException | RuntimeException ignored) {
                // the headers may be out already; closing below is all that is left
            }
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange, String method, String path) throws IOException {
        simulation.advance(false);
        Instant at = simulation.clock().instant();
        byte[] body = readBody(exchange.getRequestBody());
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Query query = Query.parse(rawQuery);
        Optional<Router.Match> match = router.match(method, path);
        Router.Kind kind = match.map(found -> found.route().kind()).orElseGet(() -> kindOf(path));
        if (kind == null) {
            write(exchange, Response.error(404, "Not found"));
            return;
        }
        Response response;
        String account = null;
        switch (kind) {
            case CONTROL -> {
                write(exchange, match.map(found -> control(found, query, body, at))
                        .orElseGet(() -> ControlApi.error(router.knowsPath(path) ? 405 : 404, "No such control")));
                return;
            }
            case OAUTH -> {
                response = match.map(found -> oauth(found, new Call(found.params(), query, body, at, null, null)))
                        .orElseGet(() -> Response.json(404, WireJson.object().put("error", "not_found")));
                account = response.account();
            }
            default -> {
                Optional<ApiVersion> version = versionOf(path);
                Optional<String> authenticated = version.isPresent() && match.isPresent()
                        ? authenticate(exchange.getRequestHeaders().getFirst("Authorization"), at)
                        : Optional.empty();
                account = authenticated.orElse(null);
                if (version.isEmpty()) {
                    response = Response.error(404, "API version not supported");
                } else if (match.isEmpty()) {
                    response = Response.error(router.knowsPath(path) ? 405 : 404, "Not found");
                } else if (authenticated.isEmpty()) {
                    response = Response.error(401, "Unauthorized: missing, invalid or expired credentials");
                } else {
                    response = api(match.get(), new Call(match.get().params(), query, body, at, version.get(), account));
                    // The floor is about what the client sends: whatever the answer, except a dropped
                    // connection (the JDK client resends a dropped GET at once, by itself).
                    if (kind == Router.Kind.SYNC && !response.dropped()) {
                        response = response.withSyncTooSoon(simulation.requestLog().noteSync(account, at));
                    }
                }
            }
        }
        // Recorded before answering: a client that has its answer may look at the log at once.
        simulation.requestLog().record(new RecordedRequest(at, account, method, path, rawQuery,
                response.status(), response.syncTooSoon()),
                match.map(found -> found.route().method() + " " + apiRoute(found.route().pattern())).orElse(RequestLog.NO_ROUTE));
        write(exchange, response);
        simulation.advance(false); // sends the webhooks of what was due while we answered
    }

    /**
     * The request body; most requests (every GET) have none, and {@code readAllBytes} would allocate an
     * 8 KB buffer to find that out.
     */
    private static byte[] readBody(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return NO_BODY;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(first);
        in.transferTo(body);
        return body.toByteArray();
    }

    /** The route as the docs write it: the pattern without its {@code /api/{version}} (or B2C policy) prefix. */
    private static String apiRoute(String pattern) {
        int start = pattern.indexOf("/my/");
        if (start < 0) {
            start = pattern.indexOf("/oauth2/");
        }
        return start < 0 ? pattern : pattern.substring(start);
    }

    private Response api(Router.Match match, Call call) {
        RateLimiter.Decision decision = simulation.rateLimiter().tryAcquire(call.account(), call.at());
        if (!decision.allowed()) {
            return Response.error(429, "Too many requests: the hourly limit is used up")
                    .withHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
        }
        Optional<Fault> fault = simulation.faults().take(call.account(), match.route().method(), apiRoute(match.route().pattern()));
        if (fault.isPresent()) {
            return play(fault.get(), match, call);
        }
        return handle(match, call);
    }

    /**
     * An OAuth request: no rate limit, and of the faults only one aimed at its route (a plain fault is
     * meant for the API requests of an account, and an OAuth request names no account until answered).
     */
    private Response oauth(Router.Match match, Call call) {
        Optional<Fault> fault = simulation.faults().takeAimed(match.route().method(), apiRoute(match.route().pattern()));
        if (fault.isPresent()) {
            return play(fault.get(), match, call);
        }
        return match.route().handler().handle(call);
    }

    private Response play(Fault fault, Router.Match match, Call call) {
        if (fault instanceof Fault.ServerError serverError) {
            return Response.error(serverError.status(), "Simulated server error");
        }
        if (fault instanceof Fault.MalformedBody) {
            return Response.raw(200, MALFORMED);
        }
        if (fault instanceof Fault.DropConnection) {
            return Response.drop();
        }
        if (fault instanceof Fault.RateLimited limited) {
            return Response.error(429, "Too many requests")
                    .withHeader("Retry-After", Long.toString(RateLimiter.wholeSeconds(limited.retryAfter())));
        }
        if (fault instanceof Fault.RateLimitedRaw raw) {
            Response refused = Response.error(429, "Too many requests");
            return raw.retryAfter() == null ? refused : refused.withHeader("Retry-After", raw.retryAfter());
        }
        Fault.Slow slow = (Fault.Slow) fault;
        try {
            Thread.sleep(slow.delay().toMillis()); // real time on purpose: client timeouts are real
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.error(503, "Simulator shutting down");
        }
        return handle(match, call);
    }

    private static Response handle(Router.Match match, Call call) {
        try {
            return match.route().handler().handle(call);
        } catch (BadRequest | IllegalArgumentException e) {
            return Response.error(400, e.getMessage());
        }
    }

    private static Response control(Router.Match match, Query query, byte[] body, Instant at) {
        try {
            return match.route().handler().handle(new Call(match.params(), query, body, at, null, null));
        } catch (BadRequest | IllegalArgumentException e) {
            return ControlApi.error(400, e.getMessage());
        }
    }

    /** Never says why beyond this, and never echoes the credential. */
    private Optional<String> authenticate(String header, Instant at) {
        if (header == null) {
            return Optional.empty();
        }
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = trimmed.substring(0, space);
        String credential = trimmed.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("PersonalKey")) {
            return simulation.world().accountForKey(credential);
        }
        if (scheme.equalsIgnoreCase("Bearer")) {
            return simulation.tokens().accessTokenAccount(credential, at);
        }
        return Optional.empty();
    }

    /** The second segment of {@code /api/{version}/...}. */
    private static Optional<ApiVersion> versionOf(String path) {
        int start = path.indexOf('/', 1);
        if (start < 0) {
            return Optional.empty();
        }
        int end = path.indexOf('/', start + 1);
        String segment = end < 0 ? path.substring(start + 1) : path.substring(start + 1, end);
        return segment.isEmpty() ? Optional.empty() : ApiVersion.parse(segment);
    }

    private static Router.Kind kindOf(String path) {
        if (path.equals("/api") || path.startsWith("/api/")) {
            return Router.Kind.API;
        }
        if (path.contains("/oauth2/")) {
            return Router.Kind.OAUTH;
        }
        return path.equals("/_sim") || path.startsWith("/_sim/") ? Router.Kind.CONTROL : null;
    }

    /** A dropped response closes the exchange before any header: the client sees the connection end. */
    private static void write(HttpExchange exchange, Response response) throws IOException {
        if (response.dropped()) {
            return;
        }
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
