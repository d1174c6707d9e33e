package io.tedeesync.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.tedeesync.sync.CallHistory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The database's clock against an instance's, as measured by one statement: the database said
 * {@code dbNow} while the instance's clock went from {@code instanceBefore} to {@code instanceAfter}.
 * Instances never compare their own clocks with each other's; every time they store is converted
 * into the database's clock with such a measurement, and back with another one. Immutable.
 *
 * <p>The round trip of the statement leaves the offset uncertain by its duration. Conversions take
 * the side that makes a time later (in both directions): a last sync or a {@code Retry-After} that
 * comes back a few milliseconds late delays a call by as much, one that came back early would let a
 * call go out before the API allows it.
 *
 * @param dbNow          {@link #NOW_MS} as the database evaluated it
 * @param instanceBefore the instance clock's epoch milliseconds before the statement was sent
 * @param instanceAfter  and after its answer came
 */
public record DbTime(long dbNow, long instanceBefore, long instanceAfter) {
    /**
     * The database's time now, as epoch milliseconds. {@code clock_timestamp()} rather than {@code now()}:
     * {@code now()} is the start of the transaction, which a lock wait can make seconds old.
     */
    public static final String NOW_MS = "floor(extract(epoch from clock_timestamp()) * 1000)::bigint";
    private static final long MINUTE_MS = 60_000;
    private static final TypeReference<List<long[]>> BUDGET = new TypeReference<>() {
    };

    public DbTime {
        if (instanceAfter < instanceBefore) {
            // The instance clock went back during the statement (a step of NTP): no bound to trust but one.
            instanceAfter = instanceBefore;
        }
    }

    /** Asks the database for its time, in a statement of the caller's transaction. */
    public static DbTime measure(Connection connection, Clock clock) throws SQLException {
        long before = clock.millis();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + NOW_MS);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            long dbNow = rows.getLong(1);
            return new DbTime(dbNow, before, clock.millis());
        }
    }

    /** An instance time in the database's clock, a fraction of a millisecond rounded up (later); null stays null. */
    public Long toDb(Instant instanceTime) {
        if (instanceTime == null) {
            return null;
        }
        long millis = instanceTime.toEpochMilli() + (instanceTime.getNano() % 1_000_000 == 0 ? 0 : 1);
        return millis + (dbNow - instanceBefore);
    }

    /** A database time in the instance's clock; null stays null. */
    public Instant toInstance(Long dbTime) {
        return dbTime == null ? null : Instant.ofEpochMilli(dbTime - (dbNow - instanceAfter));
    }

    /** The history as stored: times in the database's clock, the budget as JSON {@code [[minuteStart, count], ...]}. */
    public Stored toDb(CallHistory history) {
        List<long[]> minutes = new ArrayList<>();
        for (Map.Entry<Instant, Long> minute : shiftMinutes(history.requestsPerMinute(), dbNow - instanceBefore).entrySet()) {
            minutes.add(new long[] {minute.getKey().toEpochMilli(), minute.getValue()});
        }
        try {
            return new Stored(toDb(history.lastSyncAt()), toDb(history.blockedUntil()), Json.MAPPER.writeValueAsString(minutes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a budget as JSON", e);
        }
    }

    /** The stored history in the instance's clock; an unreadable budget is an {@link SQLException} naming the account. */
    public CallHistory toInstance(String account, Long lastSyncAt, Long blockedUntil, String budget) throws SQLException {
        SortedMap<Instant, Long> minutes = new TreeMap<>();
        if (budget != null) {
            try {
                for (long[] minute : Json.MAPPER.readValue(budget, BUDGET)) {
                    if (minute.length != 2) {
                        throw new SQLException("unreadable budget of account " + account + ": " + budget);
                    }
                    minutes.merge(Instant.ofEpochMilli(minute[0]), minute[1], Long::sum);
                }
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable budget of account " + account + ": " + e.getOriginalMessage(), e);
            }
        }
        SortedMap<Instant, Integer> requests = new TreeMap<>();
        shiftMinutes(minutes, -(dbNow - instanceAfter)).forEach((minute, count) ->
                requests.merge(minute, (int) Math.min(Integer.MAX_VALUE, Math.max(0, count)), Integer::sum));
        return new CallHistory(toInstance(lastSyncAt), toInstance(blockedUntil), requests);
    }

    /**
     * Minute starts moved by {@code offset} and put on the nearest whole minute of the other clock (the
     * offset of two clocks is no whole number of minutes; a count moves by at most half a minute).
     */
    private static <N extends Number> SortedMap<Instant, Long> shiftMinutes(Map<Instant, N> minutes, long offset) {
        SortedMap<Instant, Long> shifted = new TreeMap<>();
        for (Map.Entry<Instant, N> minute : minutes.entrySet()) {
            long moved = Math.floorDiv(minute.getKey().toEpochMilli() + offset + MINUTE_MS / 2, MINUTE_MS) * MINUTE_MS;
            shifted.merge(Instant.ofEpochMilli(moved), minute.getValue().longValue(), Long::sum);
        }
        return shifted;
    }

    /** A {@link CallHistory} as its columns hold it. */
    public record Stored(Long lastSyncAt, Long blockedUntil, String budget) {
    }
}
