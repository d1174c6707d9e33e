package io.tedeesync.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tedeesync.metrics.SyncMetrics;
import io.tedeesync.store.LockStore;
import io.tedeesync.sync.SyncEngine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP face (Javalin): {@code /api/locks} (filtered, sorted, paged), {@code /api/summary}, {@code /api/events}, the event stream,
 * {@code /api/config}, {@code /webhooks/tedee/{secret}}, {@code /health}, {@code /metrics}, and the
 * dashboard at {@code /} (the files of the jar's {@code /public}), {@code /api/accounts} and sign-in with
 * Tedee ({@code /oauth/start}, {@code /oauth/callback}), {@code /api/webhook-endpoints} (outbound webhooks), and the
 * OpenAPI description of all of it at {@code /openapi.json} ({@link OpenApiRoute}). Errors are JSON {@code {"error", "message"}}
 * with the right status, never a stack trace. Who may call what: {@link ApiAccess}. Thread-safe.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String EVENT_STREAM = ApiAccess.EVENT_STREAM;
    private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    /**
     * The dashboard loads nothing from elsewhere (it runs on closed networks), and this keeps it so; it
     * also stops the page from being framed.
     */
    private static final Map<String, String> DASHBOARD_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                    + "form-action 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-cache");

    /** What the routes need. */
    public record Parts(SyncEngine engine, LockStore store, SyncMetrics metrics, Clock clock, java.util.function.Supplier<java.util.Optional<String>> storeTrouble,
            String webhookSecret, String apiToken, boolean operationsAllowed, boolean severalAccounts,
            io.tedeesync.accounts.AccountRegistry accounts, String adminToken, io.tedeesync.accounts.SignIn signIn, ClusterParts cluster,
            io.tedeesync.outbound.WebhookEndpoints webhookEndpoints, io.tedeesync.mqtt.MqttHealth mqtt, int lowBatteryBelow) {
        public Parts {
            if (lowBatteryBelow < 1 || lowBatteryBelow > 100) {
                throw new IllegalArgumentException("the low battery threshold is a percentage from 1 to 100, was " + lowBatteryBelow);
            }
        }

        /** With the default low battery threshold ({@value HttpApi#DEFAULT_LOW_BATTERY_BELOW} %). */
        public Parts(SyncEngine engine, LockStore store, SyncMetrics metrics, Clock clock, java.util.function.Supplier<java.util.Optional<String>> storeTrouble,
                String webhookSecret, String apiToken, boolean operationsAllowed, boolean severalAccounts,
                io.tedeesync.accounts.AccountRegistry accounts, String adminToken, io.tedeesync.accounts.SignIn signIn, ClusterParts cluster,
                io.tedeesync.outbound.WebhookEndpoints webhookEndpoints, io.tedeesync.mqtt.MqttHealth mqtt) {
            this(engine, store, metrics, clock, storeTrouble, webhookSecret, apiToken, operationsAllowed, severalAccounts, accounts, adminToken,
                    signIn, cluster, webhookEndpoints, mqtt, DEFAULT_LOW_BATTERY_BELOW);
        }

        /** Without MQTT. */
        public Parts(SyncEngine engine, LockStore store, SyncMetrics metrics, Clock clock, java.util.function.Supplier<java.util.Optional<String>> storeTrouble,
                String webhookSecret, String apiToken, boolean operationsAllowed, boolean severalAccounts,
                io.tedeesync.accounts.AccountRegistry accounts, String adminToken, io.tedeesync.accounts.SignIn signIn, ClusterParts cluster,
                io.tedeesync.outbound.WebhookEndpoints webhookEndpoints) {
            this(engine, store, metrics, clock, storeTrouble, webhookSecret, apiToken, operationsAllowed, severalAccounts, accounts, adminToken,
                    signIn, cluster, webhookEndpoints, null);
        }

        /** Without outbound webhooks and MQTT. */
        public Parts(SyncEngine engine, LockStore store, SyncMetrics metrics, Clock clock, java.util.function.Supplier<java.util.Optional<String>> storeTrouble,
                String webhookSecret, String apiToken, boolean operationsAllowed, boolean severalAccounts,
                io.tedeesync.accounts.AccountRegistry accounts, String adminToken, io.tedeesync.accounts.SignIn signIn, ClusterParts cluster) {
            this(engine, store, metrics, clock, storeTrouble, webhookSecret, apiToken, operationsAllowed, severalAccounts, accounts, adminToken,
                    signIn, cluster, null, null);
        }

        @Override
        public String toString() {
            return "HttpApi.Parts[secrets hidden]";
        }
    }

    /** The summary's low battery threshold unless {@code serve --low-battery-below} says otherwise: below 20 %. */
    public static final int DEFAULT_LOW_BATTERY_BELOW = 20;

    /**
     * With several instances on one database: this instance's membership, how it relays requests to the
     * owner of an account, and when another instance's lock counts as stale.
     */
    public record ClusterParts(io.tedeesync.cluster.ClusterMember member, io.tedeesync.cluster.Forwarder forwarder, Duration staleAfter) {
    }

    /**
     * Jetty's threads: every request, every stream callback, the acceptor and the selector share these, so
     * the service's thread count has a bound whatever the number of clients (the event streams hold none
     * of them while they wait).
     */
    static final int MAX_THREADS = 64;
    static final int MIN_THREADS = 8;
    /**
     * Requests handled at once. A handler may wait (a webhook waits for its store write, a body may come
     * slowly), so this stays well under {@link #MAX_THREADS}, keeping threads for the selector, the
     * streams' writes and the requests that are let in after a wait.
     */
    static final int MAX_ACTIVE_REQUESTS = 40;
    /** Requests that may wait for one of those places, without a thread; more are answered 503 at once. */
    static final int MAX_WAITING_REQUESTS = 200;
    /** How long a request may wait for a place before it is answered 503. */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final Javalin app;
    private final EventBroadcaster broadcaster;
    /** Wakes the event tail when another instance wrote events; null for one instance. */
    private final AutoCloseable listening;
    private final QueuedThreadPool threads;
    private final QoSHandler admission;

    private HttpApi(Javalin app, EventBroadcaster broadcaster, QueuedThreadPool threads,
            QoSHandler admission, AutoCloseable listening) {
        this.app = app;
        this.broadcaster = broadcaster;
        this.listening = listening;
        this.threads = threads;
        this.admission = admission;
    }

    /** Listens on {@code bind:port} (port 0: a free one). */
    public static HttpApi start(Parts parts, String bind, int port) {
        EventBroadcaster broadcaster = new EventBroadcaster(parts.store());
        parts.engine().addListener(broadcaster);
        ClusterRouting routing = parts.cluster() == null ? null
                : new ClusterRouting(parts.cluster().member(), parts.cluster().forwarder(), parts.store());
        // Other instances write events too: the database tells when (LISTEN/NOTIFY), and the tail reads them.
        AutoCloseable listening = parts.cluster() == null ? null : parts.store().listen(id -> broadcaster.tailMoved());
        // Jetty otherwise asks the platform MBean server whether oops are compressed, to pad its queues: it
        // starts the whole JMX machinery (~0.15 s). 16 is its answer on a 64-bit JVM with compressed oops;
        // a wrong one would only pad differently.
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
        }
        QueuedThreadPool threads = newThreadPool();
        QoSHandler admission = newAdmission();
        ApiAccess access = new ApiAccess(parts.apiToken(), parts.adminToken());
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.startup.startupWatcherEnabled = false;
            config.jetty.threadPool = threads;
            config.jetty.modifyServer(server -> {
                server.insertHandler(admission);
                // Javalin's default server has one: when the pool looks busy (a burst of connections is
                // enough) it gives every connection a 1 s idle timeout, cutting idle event streams and
                // waiting requests without a word. The admission limit is what bounds the load here.
                server.getBeans(org.eclipse.jetty.server.LowResourceMonitor.class).forEach(server::removeBean);
            });
            config.jetty.host = bind;
            config.jetty.port = port;
            config.http.maxRequestSize = WebhookRoute.MAX_BODY;
            config.routes.before("/api/*", access::check);
            new DashboardFiles(DASHBOARD_HEADERS).register(config.routes);
            new LockRoutes(parts.engine(), parts.clock(), parts.severalAccounts() || routing != null, parts.operationsAllowed(),
                    routing == null ? null : new LockRoutes.Cluster(routing, parts.store(), parts.cluster().staleAfter()),
                    parts.lowBatteryBelow()).register(config.routes);
            new EventRoutes(parts.store(), broadcaster).register(config.routes);
            new HistoryRoutes(parts.engine(), parts.store(), parts.clock()).register(config.routes);
            new WebhookRoute(parts.engine(), parts.metrics(), parts.webhookSecret(), routing).register(config.routes);
            new StatusRoutes(parts.engine(), parts.metrics(), parts.storeTrouble(), parts.store().describe(),
                    parts.cluster() == null ? null : parts.cluster().member(), parts.webhookEndpoints(), parts.mqtt())
                    .register(config.routes);
            new ConfigRoutes(parts.store(), parts.operationsAllowed(), parts.severalAccounts(), parts.adminToken() != null,
                    parts.signIn() != null, access, parts.lowBatteryBelow()).register(config.routes);
            new AccountRoutes(parts.accounts(), routing).register(config.routes);
            new SignInRoutes(parts.signIn(), access).register(config.routes);
            new WebhookEndpointRoutes(parts.webhookEndpoints()).register(config.routes);
            new OpenApiRoute().register(config.routes);
            config.routes.exception(Exception.class, (error, ctx) -> {
                if (error instanceof java.io.IOException || error.getCause() instanceof java.io.IOException) {
                    // The client went away mid-request (a body cut short): expected trouble, not a bug.
                    LOG.warn("{} {}: the client's connection failed: {}", ctx.method(), ctx.endpoint().path, error.getMessage());
                    ApiJson.error(ctx, 400, "connection_failed", "the request could not be read");
                    return;
                }
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.endpoint().path, error);
                ApiJson.error(ctx, 500, "internal", "unexpected failure; see the service log");
            });
            config.routes.error(404, ctx -> {
                String type = ctx.res().getContentType(); // the answer's: a route's own 404 (no such lock) keeps its JSON
                if (type == null || !type.startsWith("application/json")) {
                    ApiJson.error(ctx, 404, "not_found", "no such route");
                }
            });
            config.routes.error(405, ctx -> ApiJson.error(ctx, 405, "method_not_allowed", "method not allowed here"));
            config.routes.error(413, ctx -> ApiJson.error(ctx, 413, "too_large", "request body too large"));
        });
        app.start();
        return new HttpApi(app, broadcaster, threads, admission, listening);
    }

    /**
     * A fixed pool, {@code tedee-http-N}. Its job queue stays unbounded, as Jetty asks (it refuses its own
     * jobs from a full queue, which would leave streams and connections hanging); {@link #newAdmission()} is
     * what keeps requests from piling up there.
     */
    private static QueuedThreadPool newThreadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        pool.setName("tedee-http");
        return pool;
    }

    /**
     * At most {@link #MAX_ACTIVE_REQUESTS} requests in handlers at once; up to {@link #MAX_WAITING_REQUESTS}
     * more wait without a thread for {@link #MAX_WAIT}, then get 503, as does any request beyond them. The
     * event stream is not counted: it is an open request for as long as the client listens but holds no
     * thread, and the broadcaster bounds the number of streams itself. Neither are {@code /health} and
     * {@code /metrics}: quick, and needed most while the service is busy.
     */
    private static QoSHandler newAdmission() {
        QoSHandler admission = new Admission();
        admission.setMaxRequestCount(MAX_ACTIVE_REQUESTS);
        admission.setMaxSuspendedRequestCount(MAX_WAITING_REQUESTS);
        admission.setMaxSuspend(MAX_WAIT);
        admission.excludePath(EVENT_STREAM);
        // Monitoring must answer when it matters most (webhooks waiting for a slow store fill the places).
        admission.excludePath("/health");
        admission.excludePath("/metrics");
        return admission;
    }

    /** {@link QoSHandler} answering its 503 as the API answers errors: JSON, and when to come back. */
    private static final class Admission extends QoSHandler {
        private static final byte[] BUSY = ("{\"error\":\"overloaded\",\"message\":\"the service has too many requests in progress;"
                + " try again shortly\"}").getBytes(StandardCharsets.UTF_8);

        @Override
        protected void reject(Request request, Response response, Callback callback, int status) {
            busy(response, callback, status);
        }

        @Override
        protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
            busy(response, callback, status);
        }

        private static void busy(Response response, Callback callback, int status) {
            if (response.isCommitted()) {
                callback.failed(new java.io.IOException("overloaded"));
                return;
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            response.write(true, ByteBuffer.wrap(BUSY), callback);
        }
    }

    /** The pool Jetty runs on (for tests of its bound). */
    QueuedThreadPool threads() {
        return threads;
    }

    /** The Jetty server (for tests of its configuration). */
    org.eclipse.jetty.server.Server jetty() {
        return app.jettyServer().server();
    }

    /** The admission limit in front of the routes (for tests of its bound). */
    QoSHandler admission() {
        return admission;
    }

    /**
     * Every route the app answers, as {@code METHOD path} with Javalin's {@code {param}} placeholders (the filters
     * before and after routes left out): for the test that holds {@code /openapi.json} to the routes.
     */
    java.util.List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
                .toList();
    }

    EventBroadcaster broadcaster() {
        return broadcaster;
    }

    public int port() {
        return app.port();
    }

    int subscribers() {
        return broadcaster.subscribers();
    }

    @Override
    public void close() {
        if (listening != null) {
            try {
                listening.close();
            } catch (Exception e) {
                LOG.debug("could not stop listening for other instances' events: {}", e.toString());
            }
        }
        broadcaster.close();
        app.stop();
    }
}
