package io.tedeesync.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.util.RawValue;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tedeesync.history.BatteryReading;
import io.tedeesync.history.DoorReading;
import io.tedeesync.history.HistoryReader;
import io.tedeesync.history.LockHistory;
import io.tedeesync.history.StateInterval;
import io.tedeesync.store.EventQuery;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreException;
import io.tedeesync.sync.SyncEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/locks/{serialNumber}/history?from=&to=}: a lock's states as intervals, its battery and door
 * readings, and its newest events over a range, from the event log ({@link LockHistory}). Every instance of a
 * cluster reads the same store, so it answers for any lock here, never relayed. A history of a full range holds
 * some tens of MB while it is assembled ({@link LockHistory#MAX_EVENTS}), so at most {@link #MAX_READS} are read
 * at once; another waits up to {@link #READ_WAIT} for a place, then is {@code 503 busy}. Thread-safe.
 */
final class HistoryRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRoutes.class);
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    static final Duration MAX_RANGE = Duration.ofDays(31);
    /** How many of the range's events the answer shows, as {@code /api/events} does. */
    static final int EVENTS_SHOWN = 100;
    /** Histories read at once, at most. */
    static final int MAX_READS = 4;
    /** How long a history waits for one of those places before it is {@code 503 busy}. */
    static final Duration READ_WAIT = Duration.ofSeconds(10);
    private static final int BUSY_RETRY_AFTER_SECONDS = 5;
    private static final List<String> PARAMETERS = List.of("from", "to");
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private final HistoryReader reader;
    /** Whether a serial number is of a lock the service knows, or has events (a removed lock keeps its history). */
    private final Predicate<String> known;
    private final Clock clock;
    private final int maxReads;
    private final Semaphore reads;
    private final Duration readWait;

    HistoryRoutes(SyncEngine engine, LockStore store, Clock clock) {
        this(new HistoryReader(store.history(), serial -> engine.lock(serial).or(() -> store.copiesOf(serial).stream().findFirst())),
                serial -> engine.lock(serial).isPresent() || !store.copiesOf(serial).isEmpty()
                        || !store.events(new EventQuery(0, 1, serial, null)).isEmpty(),
                clock, MAX_READS, READ_WAIT);
    }

    /** With its parts given, and another bound on the reads at once (to see it at work). */
    HistoryRoutes(HistoryReader reader, Predicate<String> known, Clock clock, int maxReads, Duration readWait) {
        this.reader = reader;
        this.known = known;
        this.clock = clock;
        this.maxReads = maxReads;
        this.reads = new Semaphore(maxReads, true);
        this.readWait = readWait;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/locks/{serialNumber}/history", this::history);
    }

    private void history(Context ctx) throws InterruptedException {
        String serial = ctx.pathParam("serialNumber");
        if (serial.isBlank()) { // no lock has one; the store would refuse to look
            notFound(ctx, serial);
            return;
        }
        // Events are kept to the millisecond: an end of now rounded up holds an event of this very millisecond.
        Instant now = ceilMillis(clock.instant());
        Range range;
        try {
            range = range(ctx.queryParamMap(), now);
        } catch (QueryParameters.Problem problem) {
            QueryParameters.answer(ctx, problem);
            return;
        }
        try {
            if (!known.test(serial)) {
                notFound(ctx, serial);
                return;
            }
            if (!reads.tryAcquire(readWait.toMillis(), TimeUnit.MILLISECONDS)) {
                ctx.header("Retry-After", Integer.toString(BUSY_RETRY_AFTER_SECONDS));
                ApiJson.error(ctx, 503, "busy", "at most " + maxReads + " lock histories are read at once, and none finished within "
                        + readWait.toSeconds() + " s; retry in " + BUSY_RETRY_AFTER_SECONDS + " s");
                return;
            }
            byte[] answer;
            try {
                LockHistory history = reader.read(serial, range.from(), range.to(), now);
                List<RawValue> events = reader.newestEvents(serial, history, EVENTS_SHOWN).stream()
                        .map(event -> new RawValue(event.json())).toList();
                answer = ApiJson.writeBytes(new HistoryJson(serial, history.from(), history.to(), history.truncated(), history.states(),
                        history.battery(), history.door(), events));
            } finally {
                reads.release();
            }
            ApiJson.sendTagged(ctx, answer);
        } catch (StoreException e) {
            ApiJson.storeUnavailable(ctx, LOG, "history of " + QueryParameters.shown(serial), e);
        }
    }

    private static void notFound(Context ctx, String serial) {
        ApiJson.error(ctx, 404, "not_found", "no lock with serial number " + QueryParameters.shown(serial) + " and no event of one");
    }

    /** The asked range, defaults filled in; its end may be after now (the history clips it). */
    static Range range(Map<String, List<String>> query, Instant now) {
        QueryParameters.refuseUnknown(query, PARAMETERS);
        Instant to = instant(query, "to");
        Instant from = instant(query, "from");
        if (to == null) {
            to = now;
        }
        if (from == null) {
            from = to.minus(DEFAULT_RANGE);
        }
        if (!from.isBefore(to)) {
            throw new QueryParameters.Problem(400, "bad_parameter", "from (" + from + ") must be before to (" + to + ")");
        }
        if (!from.isBefore(now)) {
            throw new QueryParameters.Problem(400, "bad_parameter", "from (" + from + ") must be before now (" + now + ")");
        }
        // Literal to the contract: the 31 days count from the to given, before a future one is clipped to now.
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new QueryParameters.Problem(400, "bad_parameter", "from (" + from + ") and to (" + to + ") are more than 31 days apart;"
                    + " at most 31 days (P31D) are allowed");
        }
        return new Range(from, to);
    }

    /** The parameter as an instant, or null when it is not given. */
    private static Instant instant(Map<String, List<String>> query, String name) {
        String text = QueryParameters.single(query, name);
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            // A '+' of an offset left unencoded in a URL arrives as a space: read it as the '+' it was.
            instant = OffsetDateTime.parse(text.replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw QueryParameters.Problem.badParameter(name, text, "an ISO-8601 instant such as 2026-12-01T10:00:00Z or 2026-12-01T11:00:00+01:00");
        }
        // ISO-8601's four-digit years; far beyond them a time is no longer a number of milliseconds the store can compare.
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw QueryParameters.Problem.badParameter(name, text, "an instant in the years 0000 to 9999");
        }
        return instant;
    }

    private static Instant ceilMillis(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        return millis.equals(instant) ? millis : millis.plusMillis(1);
    }

    /** The asked range. */
    record Range(Instant from, Instant to) {
    }

    /** The answer: the lock, the range covered, and what happened in it; the events as the log holds them. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"serialNumber", "from", "to", "truncated", "states", "battery", "door", "events"})
    record HistoryJson(String serialNumber, Instant from, Instant to, boolean truncated, List<StateInterval> states,
            List<BatteryReading> battery, List<DoorReading> door, List<RawValue> events) {
    }
}
