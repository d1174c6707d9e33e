package io.tedeesync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tedeesync.store.EventQuery;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoredEvent;
import java.util.List;
import java.util.stream.Collectors;

/** {@code /api/events} (history, from the store) and {@code /api/events/stream} (server-sent events). */
final class EventRoutes {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final LockStore store;
    private final EventBroadcaster broadcaster;

    EventRoutes(LockStore store, EventBroadcaster broadcaster) {
        this.store = store;
        this.broadcaster = broadcaster;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/events", this::history);
        routes.get("/api/events/stream", this::stream);
    }

    /**
     * Javalin's {@code routes.sse} answers an empty 200 unless the request says
     * {@code Accept: text/event-stream}, so {@code curl -N} (which sends the wildcard), scripts and
     * clients sending no Accept saw nothing. This route is nothing but a stream, so it streams to whoever
     * asks for it, with the headers Javalin's {@code SseHandler} sends. The request then goes async
     * without a timeout, and the broadcaster writes to it without blocking until the stream ends.
     */
    private void stream(Context ctx) throws java.io.IOException {
        if (!broadcaster.reservePlace()) {
            ctx.header("Retry-After", "10");
            ApiJson.error(ctx, 503, "too_many_streams", "too many event streams are open; try again later");
            return;
        }
        boolean subscribed = false;
        try {
            subscribed = startStream(ctx);
        } finally {
            if (!subscribed) {
                broadcaster.releasePlace();
            }
        }
    }

    /** Sends the stream's headers and hands the request to the broadcaster; false if it never got there. */
    private boolean startStream(Context ctx) throws java.io.IOException {
        Long after = number(ctx.header("Last-Event-ID"));
        if (after == null) {
            after = number(ctx.queryParam("after"));
        }
        Long afterId = after;
        String serialNumber = blankToNull(ctx.queryParam("serialNumber"));
        jakarta.servlet.http.HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setCharacterEncoding("UTF-8");
        response.setContentType("text/event-stream");
        response.addHeader("Connection", "close");
        response.addHeader("Cache-Control", "no-cache");
        response.addHeader("X-Accel-Buffering", "no");
        response.flushBuffer();
        // The supplier runs once Javalin has started the async request; the request ends when `done` does
        // (completing it runs the rest of the request on the completing thread: only the service's stop does).
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        ctx.future(() -> {
            jakarta.servlet.AsyncContext async = ctx.req().getAsyncContext();
            async.setTimeout(0);
            try {
                broadcaster.subscribe(response.getOutputStream(), reason -> cut(ctx, reason), () -> done.complete(null), afterId,
                        serialNumber, ctx.req().getRemoteAddr() + ":" + ctx.req().getRemotePort());
            } catch (java.io.IOException | RuntimeException e) {
                broadcaster.releasePlace();
                throw e instanceof java.io.IOException io ? new java.io.UncheckedIOException(io) : (RuntimeException) e;
            }
            return done;
        });
        return true;
    }

    /**
     * Closes the connection under a response that cannot be finished (its client stopped reading, so
     * not even the end of the response would get through).
     */
    private static void cut(Context ctx, String reason) {
        org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel()
                .abort(new java.io.IOException("event stream " + reason));
    }

    private void history(Context ctx) {
        Long after = number(ctx.queryParam("after"));
        Long limit = number(ctx.queryParam("limit"));
        if ((ctx.queryParam("after") != null && (after == null || after < 0))
                || (ctx.queryParam("limit") != null && (limit == null || limit < 1 || limit > MAX_LIMIT))) {
            ApiJson.error(ctx, 400, "bad_query", "after must be an event id (>= 0) and limit between 1 and " + MAX_LIMIT);
            return;
        }
        List<StoredEvent> events = store.events(new EventQuery(after == null ? 0 : after, limit == null ? DEFAULT_LIMIT : limit.intValue(),
                blankToNull(ctx.queryParam("serialNumber")), blankToNull(ctx.queryParam("account"))));
        ApiJson.sendRaw(ctx, 200, events.stream().map(StoredEvent::json).collect(Collectors.joining(",", "[", "]")));
    }

    private static Long number(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(text.trim());
            return value < 0 ? null : value; // no event id is negative: as if none was given
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
