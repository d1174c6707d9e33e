package io.tedeesync.http;

import io.javalin.http.Context;
import io.tedeesync.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/summary}: the fleet's counts ({@link FleetSummary}) over the same locks as
 * {@code GET /api/locks}, with the service's low-battery threshold or {@code batteryBelow}'s. Its {@code at}
 * is when this instance first counted these same numbers, not the time of the request: a poller gets the
 * same bytes, so the same ETag and a {@code 304}, for as long as nothing it counts changed. With several
 * instances the other instances' locks are read from the store: when it cannot be read, the answer is
 * {@code 503 store_unavailable}. Thread-safe.
 */
final class SummaryRoute {
    private static final Logger LOG = LoggerFactory.getLogger(SummaryRoute.class);
    private static final List<String> PARAMETERS = List.of("batteryBelow");

    private final LockViews views;
    private final Clock clock;
    private final int lowBatteryBelow;
    /** The last counts answered, by threshold (1..100, so at most 100), and since when. */
    private final ConcurrentMap<Integer, Stamped> last = new ConcurrentHashMap<>();

    private record Stamped(FleetSummary.Tally tally, Instant since) {
    }

    SummaryRoute(LockViews views, Clock clock, int lowBatteryBelow) {
        this.views = views;
        this.clock = clock;
        this.lowBatteryBelow = lowBatteryBelow;
    }

    void handle(Context ctx) {
        FleetSummary.Tally tally;
        try {
            QueryParameters.refuseUnknown(ctx.queryParamMap(), PARAMETERS);
            Integer threshold = QueryParameters.percent(ctx.queryParamMap(), "batteryBelow");
            tally = FleetSummary.count(views.all(), threshold != null ? threshold : lowBatteryBelow);
        } catch (QueryParameters.Problem problem) {
            QueryParameters.answer(ctx, problem);
            return;
        } catch (StoreException e) {
            ApiJson.storeUnavailable(ctx, LOG, "GET /api/summary", e); // other instances' locks are read from the store
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Stamped stamped = last.compute(tally.lowBatteryBelow(),
                (key, before) -> before != null && before.tally().equals(tally) ? before : new Stamped(tally, now));
        ApiJson.sendTagged(ctx, stamped.tally().at(stamped.since()));
    }
}
