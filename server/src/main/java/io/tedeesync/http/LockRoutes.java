package io.tedeesync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.store.StoreException;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.OperationOutcome;
import io.tedeesync.sync.SyncEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/locks}: the list ({@link LockListRoute}), one lock's view, a sync of one lock and operations, all
 * through the engine; and {@code /api/summary} ({@link SummaryRoute}) over the same locks.
 */
final class LockRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(LockRoutes.class);
    private static final Duration SYNC_WAIT = Duration.ofSeconds(20);
    private static final Duration OPERATION_WAIT = Duration.ofSeconds(45);
    /** The instance id the cursors of a single instance carry (its snapshots die with it: after a restart they are 410). */
    private static final String LOCAL = "local";

    private final SyncEngine engine;
    private final boolean operationsAllowed;
    /** With several instances: every lock is read from the store, and a lock of another instance's account is relayed there. */
    private final Cluster cluster;
    private final LockViews views;
    private final LockListRoute list;
    private final SummaryRoute summary;

    /** What the routes need when several instances share the accounts. */
    record Cluster(ClusterRouting routing, io.tedeesync.store.LockStore store, Duration staleAfter) {
    }

    /** @param lowBatteryBelow the summary's {@code lowBattery} threshold (1..100) */
    LockRoutes(SyncEngine engine, Clock clock, boolean showAccount, boolean operationsAllowed, Cluster cluster, int lowBatteryBelow) {
        this.engine = engine;
        this.operationsAllowed = operationsAllowed;
        this.cluster = cluster;
        this.views = new LockViews(engine, clock, showAccount, cluster);
        // A cluster member's id is set when it joins, just after the API starts: a cursor made before carries the
        // id it had then and is 410 afterwards, as after a restart (the dashboard starts again without cursor).
        this.list = new LockListRoute(views, new LockPages(clock), cluster == null ? () -> LOCAL : cluster.routing()::instanceId,
                cluster == null ? null : new CursorRelay(cluster.routing()));
        this.summary = new SummaryRoute(views, clock, lowBatteryBelow);
    }

    void register(RoutesConfig routes) {
        routes.get("/api/locks", list::handle);
        routes.get("/api/locks/{serialNumber}", this::one);
        routes.post("/api/locks/{serialNumber}/sync", this::sync);
        routes.post("/api/locks/{serialNumber}/operations/{operation}", this::operate);
        routes.get("/api/summary", summary::handle);
    }

    private void one(Context ctx) {
        String serial = ctx.pathParam("serialNumber");
        if (serial.isBlank()) {
            notFound(ctx);
            return;
        }
        Optional<MirroredLock> lock;
        try {
            lock = views.lock(serial);
        } catch (StoreException e) {
            ApiJson.storeUnavailable(ctx, LOG, "GET /api/locks/" + QueryParameters.shown(serial), e); // another instance's lock: the store's copy
            return;
        }
        if (lock.isEmpty()) {
            notFound(ctx);
            return;
        }
        ApiJson.sendTagged(ctx, view(lock.get()).withNextSyncAllowedAt(nextSyncAllowedAt(lock.get())));
    }

    /**
     * When the floor lets a sync of this lock go (null: not this instance's lock), as the engine says, in whole
     * seconds rounded up: never earlier than the floor allows, and the same from request to request (so is the
     * answer's ETag) until the next sync moves it. Once passed it stays the past instant it was.
     */
    private Instant nextSyncAllowedAt(MirroredLock lock) {
        if (engine.account(lock.account()).isEmpty()) {
            return null;
        }
        return engine.syncAllowedAt(lock.serialNumber()).map(allowed -> {
            Instant whole = allowed.truncatedTo(ChronoUnit.SECONDS);
            return whole.equals(allowed) ? whole : whole.plusSeconds(1);
        }).orElse(null);
    }

    private void sync(Context ctx) throws InterruptedException {
        String serial = ctx.pathParam("serialNumber");
        if (serial.isBlank()) {
            notFound(ctx);
            return;
        }
        if (elsewhere(ctx, serial, SYNC_WAIT)) {
            return;
        }
        Optional<Duration> wait = engine.syncAvailableIn(serial);
        if (wait.isEmpty()) {
            notFound(ctx);
            return;
        }
        if (!wait.get().isZero()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            ApiJson.error(ctx, 429, "too_soon", "lock " + serial + " was synced less than 10 s ago; retry in " + seconds + " s");
            return;
        }
        try {
            MirroredLock lock = engine.requestSync(serial).get(SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            ApiJson.send(ctx, 200, view(lock));
        } catch (TimeoutException e) {
            ApiJson.send(ctx, 202, Map.of("status", "pending", "message", "the sync is queued; GET /api/locks/" + serial + " for the result"));
        } catch (ExecutionException e) {
            ApiJson.error(ctx, 502, "sync_failed", String.valueOf(e.getCause().getMessage()));
        }
    }

    private void operate(Context ctx) throws InterruptedException {
        if (!operationsAllowed) {
            ApiJson.error(ctx, 403, "operations_disabled",
                    "operations need --api-token (or --allow-unauthenticated-operations on a trusted network)");
            return;
        }
        String serial = ctx.pathParam("serialNumber");
        Optional<OperationType> type = operation(ctx.pathParam("operation"));
        if (type.isEmpty()) {
            ApiJson.error(ctx, 400, "bad_operation", "the operation must be lock, unlock or pull");
            return;
        }
        Optional<UnlockMode> mode = mode(ctx.queryParam("mode"));
        if (mode.isEmpty()) {
            ApiJson.error(ctx, 400, "bad_mode", "mode must be normal, force, without-pull or unlock-or-pull");
            return;
        }
        if (serial.isBlank()) {
            notFound(ctx);
            return;
        }
        if (elsewhere(ctx, serial, OPERATION_WAIT)) {
            return;
        }
        if (engine.lock(serial).isEmpty()) {
            notFound(ctx);
            return;
        }
        try {
            OperationOutcome outcome = engine.operate(serial, type.get(), mode.get()).get(OPERATION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("serialNumber", serial);
            body.put("operation", type.get().name().toLowerCase(Locale.ROOT));
            body.put("status", outcome.status().name());
            body.put("operationId", outcome.operationId());
            body.put("message", outcome.message());
            if (outcome.lock() != null) {
                body.put("lock", view(outcome.lock())); // as synced (or reported by its webhook) after the operation
            }
            ApiJson.send(ctx, statusOf(outcome.status()), body);
        } catch (TimeoutException e) {
            ApiJson.send(ctx, 202, Map.of("status", "PENDING", "message", "the operation is still running; GET /api/locks/" + serial));
        } catch (ExecutionException e) {
            ApiJson.error(ctx, 502, "operation_failed", String.valueOf(e.getCause().getMessage()));
        }
    }

    private static int statusOf(OperationOutcome.Status status) {
        switch (status) {
            case SUCCEEDED: return 200;
            case REJECTED: return 409;
            case TIMED_OUT: return 504;
            default: return 502;
        }
    }

    private static Optional<OperationType> operation(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "lock": return Optional.of(OperationType.LOCK);
            case "unlock": return Optional.of(OperationType.UNLOCK);
            case "pull": return Optional.of(OperationType.PULL);
            default: return Optional.empty();
        }
    }

    private static Optional<UnlockMode> mode(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(UnlockMode.NORMAL);
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "normal": return Optional.of(UnlockMode.NORMAL);
            case "force": return Optional.of(UnlockMode.FORCE);
            case "without-pull": return Optional.of(UnlockMode.WITHOUT_PULL);
            case "unlock-or-pull": return Optional.of(UnlockMode.UNLOCK_OR_PULL);
            default: return Optional.empty();
        }
    }

    /** True when the lock belongs to an account another instance owns, and its answer was relayed. */
    private boolean elsewhere(Context ctx, String serial, Duration wait) throws InterruptedException {
        return cluster != null && engine.lock(serial).isEmpty()
                && cluster.routing().lock(ctx, serial, ctx.bodyAsBytes(), wait.plusSeconds(5)) == ClusterRouting.Route.ANSWERED;
    }

    private LockJson view(MirroredLock lock) {
        return views.view(lock);
    }

    private static void notFound(Context ctx) {
        ApiJson.error(ctx, 404, "not_found", "no lock with serial number " + QueryParameters.shown(ctx.pathParam("serialNumber")));
    }
}
