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
import java.util.List;

/**
 * Rows of {@code lock_event} (and the id floor in {@code store_meta}). The caller owns the
 * connection and the transaction, and assigns the ids. Stateless.
 */
public final class EventLogTable {
    private static final String INSERT = "INSERT INTO lock_event "
            + "(id, account, serial_number, lock_id, type, occurred_at, observed_at, source, json) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String COLUMNS = "id, account, serial_number, lock_id, type, occurred_at, observed_at, source, json";
    private static final String ID_FLOOR = "event_id_floor";

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
            List<StoredEvent> events = new ArrayList<>(Math.min(query.limit(), 100));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Row row = new Row(rows);
                    events.add(new StoredEvent(row.bigint(), row.text(), row.text(), row.nullableBigint(), row.text(),
                            row.time(), row.time(), row.text(), row.text()));
                }
            }
            return List.copyOf(events);
        }
    }

    /** The highest id ever given: the newest event's, or the floor kept by a prune that deleted it. */
    public static long highestId(Connection connection) throws SQLException {
        long newest = single(connection, "SELECT MAX(id) FROM lock_event");
        long floor = single(connection, "SELECT MAX(value) FROM store_meta WHERE name = '" + ID_FLOOR + "'");
        return Math.max(newest, floor);
    }

    /**
     * Deletes the events observed before {@code cutoff} and records {@code highestId} as the floor, so
     * that a restart does not give an id again even when every event was deleted.
     */
    public static int deleteObservedBefore(Connection connection, Instant cutoff, long highestId) throws SQLException {
        int deleted;
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM lock_event WHERE observed_at < ?")) {
            new Columns(delete).time(cutoff);
            deleted = delete.executeUpdate();
        }
        keepFloorIfDeleted(connection, deleted, highestId);
        return deleted;
    }

    /**
     * Deletes every event of the account and, as pruning does, records {@code highestId} as the floor:
     * the purged events may have been the newest, and their ids must not be given again after a restart.
     */
    public static int deleteAccount(Connection connection, String account, long highestId) throws SQLException {
        int deleted;
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM lock_event WHERE account = ?")) {
            new Columns(delete).text(account);
            deleted = delete.executeUpdate();
        }
        keepFloorIfDeleted(connection, deleted, highestId);
        return deleted;
    }

    private static void keepFloorIfDeleted(Connection connection, int deleted, long highestId) throws SQLException {
        if (deleted == 0) {
            return;
        }
        try (PreparedStatement floor = connection.prepareStatement("INSERT INTO store_meta (name, value) VALUES (?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
            Columns columns = new Columns(floor);
            columns.text(ID_FLOOR);
            columns.bigint(highestId);
            floor.executeUpdate();
        }
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }
}
