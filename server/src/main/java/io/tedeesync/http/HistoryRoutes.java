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
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/locks/{serialNumber}/history?from=&to=}: a lock's states as intervals, its battery and door
 * readings, and its newest events over a range, from the event log ({@link LockHistory}). Every instance of a
 * cluster reads the same store, so it answers for any lock here, never relayed. Thread-safe.
 */
final class HistoryRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRoutes.class);
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    static final Duration MAX_RANGE = Duration.ofDays(31);
    /** How many of the range's events the answer shows, as {@code /api/events} does. */
    static final int EVENTS_SHOWN = 100;
    private static final Set<String> PARAMETERS = Set.of("from", "to");
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private final SyncEngine engine;
    private final LockStore store;
    private final HistoryReader reader;
    private final Clock clock;

    HistoryRoutes(SyncEngine engine, LockStore store, Clock clock) {
        this.engine = engine;
        this.store = store;
        this.reader = new HistoryReader(store.history());
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/locks/{serialNumber}/history", this::history);
    }

    private void history(Context ctx) {
        String serial = ctx.pathParam("serialNumber");
        // Events are kept to the millisecond: an end of now rounded up holds an event of this very millisecond.
        Instant now = ceilMillis(clock.instant());
        Range range;
        try {
            range = range(ctx.queryParamMap(), now);
        } catch (BadParameter e) {
            ApiJson.error(ctx, 400, e.code, e.getMessage());
            return;
        }
        LockHistory history;
        List<RawValue> events;
        try {
            if (!known(serial)) {
                ApiJson.error(ctx, 404, "not_found", "no lock with serial number " + serial + " and no event of one");
                return;
            }
            history = reader.read(serial, range.from(), range.to(), now);
            events = reader.newestEvents(serial, history, EVENTS_SHOWN).stream().map(event -> new RawValue(event.json())).toList();
        } catch (StoreException e) {
            LOG.warn("history of {}: {}", serial, e.getMessage());
            ApiJson.error(ctx, 503, "store_unavailable", "the store could not be read; try again shortly");
            return;
        }
        ApiJson.sendTagged(ctx, new HistoryJson(serial, history.from(), history.to(), history.truncated(), history.states(),
                history.battery(), history.door(), events));
    }

    /** A lock the engine, the store (another instance's, or a removed one's copy) or the event log knows. */
    private boolean known(String serial) {
        return engine.lock(serial).isPresent() || !store.copiesOf(serial).isEmpty()
                || !store.events(new EventQuery(0, 1, serial, null)).isEmpty();
    }

    /** The asked range, defaults filled in; its end may be after now (the history clips it). */
    static Range range(Map<String, List<String>> query, Instant now) {
        Set<String> unknown = new TreeSet<>(query.keySet());
        unknown.removeAll(PARAMETERS);
        if (!unknown.isEmpty()) {
            throw new BadParameter("unknown_parameter", "unknown parameter(s) "
                    + String.join(", ", unknown.stream().map(HistoryRoutes::sanitise).toList()) + "; known: from, to");
        }
        Instant to = instant(query, "to");
        Instant from = instant(query, "from");
        if (to == null) {
            to = now;
        }
        if (from == null) {
            from = to.minus(DEFAULT_RANGE);
        }
        if (!from.isBefore(to)) {
            throw new BadParameter("bad_parameter", "from (" + from + ") must be before to (" + to + ")");
        }
        if (!from.isBefore(now)) {
            throw new BadParameter("bad_parameter", "from (" + from + ") must be before now (" + now + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new BadParameter("bad_parameter", "from (" + from + ") and to (" + to + ") are more than 31 days apart;"
                    + " at most 31 days (P31D) are allowed");
        }
        return new Range(from, to);
    }

    /** The parameter as an instant, or null when it is not given. */
    private static Instant instant(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadParameter("bad_parameter", name + " is given " + values.size() + " times; give it once");
        }
        String text = values.get(0).strip();
        Instant instant;
        try {
            // A '+' of an offset left unencoded in a URL arrives as a space: read it as the '+' it was.
            instant = OffsetDateTime.parse(text.replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadParameter("bad_parameter", name + ": '" + sanitise(values.get(0)) + "' is not an ISO-8601 instant;"
                    + " give one such as 2026-12-01T10:00:00Z or 2026-12-01T11:00:00+01:00");
        }
        // ISO-8601's four-digit years; far beyond them a time is no longer a number of milliseconds the store can compare.
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw new BadParameter("bad_parameter", name + ": '" + sanitise(values.get(0)) + "' is outside the years 0000 to 9999");
        }
        return instant;
    }

    /** A value quoted in a message: only {@code [A-Za-z0-9_.:+-]} (others as '?'), at most 40 characters. */
    static String sanitise(String value) {
        String kept = value.replaceAll("[^A-Za-z0-9_.:+-]", "?");
        return kept.length() <= 40 ? kept : kept.substring(0, 40);
    }

    private static Instant ceilMillis(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        return millis.equals(instant) ? millis : millis.plusMillis(1);
    }

    /** The asked range. */
    record Range(Instant from, Instant to) {
    }

    /** A 400 and its code. */
    static final class BadParameter extends RuntimeException {
        final String code;

        BadParameter(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** The answer: the lock, the range covered, and what happened in it; the events as the log holds them. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"serialNumber", "from", "to", "truncated", "states", "battery", "door", "events"})
    record HistoryJson(String serialNumber, Instant from, Instant to, boolean truncated, List<StateInterval> states,
            List<BatteryReading> battery, List<DoorReading> door, List<RawValue> events) {
    }
}
