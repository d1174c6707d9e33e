package io.tedeesync.store.internal;

import io.tedeesync.store.ClusterInstance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rows of {@code cluster_instance}, PostgreSQL only. Times are the database's ({@link DbTime#NOW_MS});
 * the caller owns the connection and the transaction. Stateless.
 */
public final class InstanceTable {
    // One evaluation of the clock for both columns: the two would differ by microseconds otherwise.
    private static final String JOIN = "INSERT INTO cluster_instance (id, url, started_at, heartbeat_at) "
            + "SELECT ?, ?, now_ms, now_ms FROM (SELECT " + DbTime.NOW_MS + " AS now_ms) AS clock "
            + "ON CONFLICT (id) DO UPDATE SET url = excluded.url, started_at = excluded.started_at, "
            + "heartbeat_at = excluded.heartbeat_at";
    private static final String REJOIN = "INSERT INTO cluster_instance (id, url, started_at, heartbeat_at) "
            + "SELECT ?, ?, now_ms, now_ms FROM (SELECT " + DbTime.NOW_MS + " AS now_ms) AS clock "
            + "ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at";
    private static final String BEAT = "UPDATE cluster_instance SET heartbeat_at = " + DbTime.NOW_MS + " WHERE id = ?";
    private static final String LEAVE = "DELETE FROM cluster_instance WHERE id = ?";
    private static final String FORGET_DEAD = "DELETE FROM cluster_instance WHERE heartbeat_at < " + DbTime.NOW_MS + " - ?";
    private static final String LIST = "SELECT id, url, started_at, heartbeat_at FROM cluster_instance";

    private InstanceTable() {
    }

    /** Inserts or replaces the instance's row: started and beating now. */
    public static void join(Connection connection, String instance, String url) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(JOIN)) {
            statement.setString(1, instance);
            statement.setString(2, url);
            statement.executeUpdate();
        }
    }

    /**
     * Sets the instance's heartbeat to now. With its {@code url} known, a row that is gone (deleted as
     * dead after a long pause) is inserted again, started now; without, false tells that there was none.
     */
    public static boolean beat(Connection connection, String instance, String url) throws SQLException {
        if (url != null) {
            try (PreparedStatement statement = connection.prepareStatement(REJOIN)) {
                statement.setString(1, instance);
                statement.setString(2, url);
                return statement.executeUpdate() == 1;
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(BEAT)) {
            statement.setString(1, instance);
            return statement.executeUpdate() == 1;
        }
    }

    /** Deletes the instance's row; false when there was none. */
    public static boolean leave(Connection connection, String instance) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LEAVE)) {
            statement.setString(1, instance);
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * Deletes the rows whose heartbeat is older than {@code forgetAfterMillis}, then reads the others,
     * each alive when its heartbeat is younger than {@code aliveMillis}, by id.
     */
    public static List<ClusterInstance> list(Connection connection, long aliveMillis, long forgetAfterMillis,
            DbTime time) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement(FORGET_DEAD)) {
            forget.setLong(1, forgetAfterMillis);
            forget.executeUpdate();
        }
        List<ClusterInstance> instances = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(LIST); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Row row = new Row(rows);
                String id = row.text();
                String url = row.text();
                long startedAt = row.bigint();
                long heartbeatAt = row.bigint();
                instances.add(new ClusterInstance(id, url, time.toInstance(startedAt), heartbeatAt > time.dbNow() - aliveMillis));
            }
        }
        instances.sort(Comparator.comparing(ClusterInstance::id));
        return List.copyOf(instances);
    }
}
