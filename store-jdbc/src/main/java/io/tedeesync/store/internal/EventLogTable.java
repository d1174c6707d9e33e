package io.tedeesync.store.internal;

import io.tedeesync.store.EventCodec;
import io.tedeesync.store.EventQuery;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.SyncEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rows of {@code lock_event}, and the counter in {@code store_meta} that gives their ids. The caller
 * owns the connection and the transaction. Stateless.
 */
public final class EventLogTable {
    private static final String INSERT = "INSERT INTO lock_event "
            + "(id, account, serial_number, lock_id, type, occurred_at, observed_at, source, json) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String COLUMNS = "id, account, serial_number, lock_id, type, occurred_at, observed_at, source, json";
    /** One lock's last event of one type before a time, on {@code lock_event_serial_type_occurred} (V5). */
    static final String LAST_BEFORE = "SELECT " + COLUMNS + " FROM lock_event WHERE serial_number = ? AND type = ?"
            + " AND occurred_at < ? ORDER BY occurred_at DESC, id DESC LIMIT 1";
    /** One lock's first event of one type at or after a time, on the same index. */
    static final String FIRST_AT_OR_AFTER = "SELECT " + COLUMNS + " FROM lock_event WHERE serial_number = ? AND type = ?"
            + " AND occurred_at >= ? ORDER BY occurred_at, id LIMIT 1";
    /** The row of {@code store_meta} that holds the highest id ever given (V3; it replaced {@code event_id_floor}). */
    private static final String COUNTER = "last_event_id";
    private static final String READ_COUNTER = "SELECT value FROM store_meta WHERE name = '" + COUNTER + "'";
    private static final String TAKE_IDS = "UPDATE store_meta SET value = value + ? WHERE name = '" + COUNTER + "'";

    private EventLogTable() {
    }

    /** Appends the events with ids {@code firstId}, {@code firstId + 1}, ... in their order. */
    public static void insert(Connection connection, long firstId, List<SyncEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            long id = firstId;
            for (SyncEvent event : events) {
                LockEvent lockEvent = event instanceof LockEvent lock ? lock : null;
                Columns columns = new Columns(statement);
                columns.bigint(id);
                columns.text(event.account());
                columns.text(lockEvent == null ? null : lockEvent.serialNumber());
                columns.bigint(lockEvent == null ? null : lockEvent.lockId());
                columns.text(EventCodec.type(event));
                columns.time(EventCodec.occurredAt(event));
                columns.time(event.observedAt());
                columns.text(event.source() == null ? null : event.source().name());
                columns.text(EventCodec.toJson(id, event));
                statement.addBatch();
                id++;
            }
            statement.executeBatch();
        }
    }

    /** One page of the log, ascending by id. */
    public static List<StoredEvent> query(Connection connection, EventQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM lock_event WHERE id > ?");
        if (query.serialNumber() != null) {
            sql.append(" AND serial_number = ?");
        }
        if (query.account() != null) {
            sql.append(" AND account = ?");
        }
        sql.append(" ORDER BY id LIMIT ?");
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            Columns columns = new Columns(statement);
            columns.bigint(query.afterId());
            if (query.serialNumber() != null) {
                columns.text(query.serialNumber());
            }
            if (query.account() != null) {
                columns.text(query.account());
            }
            columns.integer(query.limit());
            return List.copyOf(read(statement, query.limit()));
        }
    }

    /**
     * The newest {@code limit} events of the lock (by {@code occurred_at}, then id) with
     * {@code from <= occurredAt < to} and a type of {@code types} (null: any type), returned ascending by id.
     * Stored times are whole milliseconds, so the bounds are rounded up to one: an event is in the range exactly
     * when its stored time is. Served by the index {@code lock_event_serial_occurred} (V5), read backwards
     * from {@code to}, without a sort.
     */
    public static List<StoredEvent> between(Connection connection, String serialNumber, Instant from, Instant to,
            Set<String> types, int limit) throws SQLException {
        if (types != null && types.isEmpty()) {
            return List.of();
        }
        List<String> names = types == null ? List.of() : sorted(types);
        try (PreparedStatement statement = connection.prepareStatement(betweenSql(types == null ? -1 : names.size()))) {
            Columns columns = new Columns(statement);
            columns.text(serialNumber);
            columns.bigint(ceilMillis(from));
            columns.bigint(ceilMillis(to));
            for (String name : names) {
                columns.text(name);
            }
            columns.integer(limit);
            List<StoredEvent> newestFirst = read(statement, limit);
            newestFirst.sort(Comparator.comparingLong(StoredEvent::id));
            return List.copyOf(newestFirst);
        }
    }

    /**
     * For each type of {@code types}, the event of the lock of that type that happened last before {@code before}
     * (the latest {@code occurred_at} below it, of those the highest id); types without one are left out. One
     * {@code LIMIT 1} probe per type on the index {@code lock_event_serial_type_occurred} (V5), so the cost does not
     * grow with the events of other types the lock logged. Milliseconds as in {@link #between}. In no set order.
     */
    public static List<StoredEvent> lastOfEachBefore(Connection connection, String serialNumber, Instant before, Set<String> types)
            throws SQLException {
        return probeEach(connection, LAST_BEFORE, serialNumber, before, types);
    }

    /**
     * For each type of {@code types}, the event of the lock of that type that happened first at or after {@code at}
     * (the earliest {@code occurred_at}, of those the lowest id); as {@link #lastOfEachBefore}, the other way.
     */
    public static List<StoredEvent> firstOfEachAtOrAfter(Connection connection, String serialNumber, Instant at, Set<String> types)
            throws SQLException {
        return probeEach(connection, FIRST_AT_OR_AFTER, serialNumber, at, types);
    }

    /** The latest of {@link #lastOfEachBefore}: the last event before {@code before} of any of the types. */
    public static Optional<StoredEvent> lastBefore(Connection connection, String serialNumber, Instant before, Set<String> types)
            throws SQLException {
        return lastOfEachBefore(connection, serialNumber, before, types).stream()
                .max(Comparator.comparing(StoredEvent::occurredAt).thenComparingLong(StoredEvent::id));
    }

    private static List<StoredEvent> probeEach(Connection connection, String sql, String serialNumber, Instant at, Set<String> types)
            throws SQLException {
        List<StoredEvent> found = new ArrayList<>(types.size());
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (String type : sorted(types)) {
                Columns columns = new Columns(statement);
                columns.text(serialNumber);
                columns.text(type);
                columns.bigint(ceilMillis(at));
                found.addAll(read(statement, 1));
            }
        }
        return found;
    }

    /**
     * The highest id ever given: the counter's value. It never goes back, whatever was pruned or purged,
     * and it is the same for every instance on the database.
     */
    public static long highestId(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(READ_COUNTER)) {
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("the event id counter (store_meta '" + COUNTER + "') is missing");
                }
                return rows.getLong(1);
            }
        }
    }

    /**
     * Takes {@code count} ids from the counter and returns the first. The update's row lock is held until
     * the caller's transaction ends: an appender of any instance waits for the one before it to commit (or
     * roll back, which gives its ids back), so ids are given in commit order and a reader paging by id
     * never passes one that is still to come. Take them as late in the transaction as possible.
     */
    public static long takeIds(Connection connection, int count) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(TAKE_IDS)) {
            new Columns(update).integer(count);
            if (update.executeUpdate() != 1) {
                throw new SQLException("the event id counter (store_meta '" + COUNTER + "') is missing");
            }
        }
        return highestId(connection) - count + 1;
    }

    /**
     * Raises the counter to the log's highest id if a row was written behind the store's back with a
     * higher one (each of them would otherwise fail one batch after the other), and returns the counter.
     */
    public static long catchUp(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE store_meta SET value = (SELECT MAX(id) FROM lock_event) WHERE name = '"
                    + COUNTER + "' AND value < (SELECT MAX(id) FROM lock_event)");
        }
        return highestId(connection);
    }

    /** Deletes the events observed before {@code cutoff}; their ids are not given again (the counter keeps them). */
    public static int deleteObservedBefore(Connection connection, Instant cutoff) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM lock_event WHERE observed_at < ?")) {
            new Columns(delete).time(cutoff);
            return delete.executeUpdate();
        }
    }

    /** Deletes every event of the account; as with pruning, the counter keeps their ids from being given again. */
    public static int deleteAccount(Connection connection, String account) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM lock_event WHERE account = ?")) {
            new Columns(delete).text(account);
            return delete.executeUpdate();
        }
    }

    private static List<StoredEvent> read(PreparedStatement statement, int expected) throws SQLException {
        List<StoredEvent> events = new ArrayList<>(Math.min(expected, 100));
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Row row = new Row(rows);
                events.add(new StoredEvent(row.bigint(), row.text(), row.text(), row.nullableBigint(), row.text(),
                        row.time(), row.time(), row.text(), row.text()));
            }
        }
        return events;
    }

    /** The statement of {@link #between} for {@code types} types (-1: any type): the serial, the bounds, the types, the limit. */
    static String betweenSql(int types) {
        return "SELECT " + COLUMNS + " FROM lock_event WHERE serial_number = ? AND occurred_at >= ? AND occurred_at < ?"
                + (types < 0 ? "" : " AND type IN (" + placeholders(types) + ")")
                + " ORDER BY occurred_at DESC, id DESC LIMIT ?";
    }

    /** The types in one order, so that the same set gives the same statement text (and plan). */
    private static List<String> sorted(Set<String> types) {
        return types.stream().sorted().toList();
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /** The first whole millisecond at or after {@code instant}: {@code ms >= instant} exactly when {@code ms >= ceilMillis}. */
    private static long ceilMillis(Instant instant) {
        long millis = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }
}
