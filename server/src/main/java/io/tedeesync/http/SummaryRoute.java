package io.tedeesync.http;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code GET /api/summary}: the fleet's counts ({@link FleetSummary}) over the same locks as
 * {@code GET /api/locks}, with the service's low-battery threshold or {@code batteryBelow}'s. Its {@code at}
 * is when this instance first counted these same numbers, not the time of the request: a poller gets the
 * same bytes, so the same ETag and a {@code 304}, for as long as nothing it counts changed. Thread-safe.
 */
final class SummaryRoute {
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
        Integer threshold;
        try {
            LockQuery.refuseUnknown(ctx.queryParamMap(), PARAMETERS);
            threshold = LockQuery.percent(ctx.queryParamMap(), "batteryBelow");
        } catch (LockQuery.Problem problem) {
            ApiJson.error(ctx, problem.status(), problem.code(), problem.getMessage());
            return;
        }
        FleetSummary.Tally tally = FleetSummary.count(views.all(), threshold != null ? threshold : lowBatteryBelow);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Stamped stamped = last.compute(tally.lowBatteryBelow(),
                (key, before) -> before != null && before.tally().equals(tally) ? before : new Stamped(tally, now));
        ApiJson.sendTagged(ctx, stamped.tally().at(stamped.since()));
    }
}
