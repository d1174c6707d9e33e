package io.tedeesync.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.store.EmbeddedPostgresHolder;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statements of a lock's history, as {@link EventLogTable} sends them, are planned on V5's indexes: the range
 * as a backward scan of {@code lock_event_serial_occurred} with no sort, the last (first) event of a type as one
 * probe of {@code lock_event_serial_type_occurred} with no sort. Without the type index the "last before" read
 * walked every older event of the lock (a lock without a door sensor: its whole log) looking for a type it never
 * logged. Plans, not timings: what the planner says it will do on the migrated schema.
 */
class HistoryQueryPlanTest {
    private static final String SERIAL = "SN-PLAN";
    private static final List<String> SIX_TYPES =
            List.of("Added", "BatteryChanged", "ConnectionChanged", "DoorStateChanged", "Removed", "StateChanged");

    @TempDir
    Path data;

    /** The plan's lines of the statement with its parameters: the serial, then {@code values} (texts and numbers). */
    private static List<String> plan(Connection connection, String explain, String sql, Object... values) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(explain + " " + sql)) {
            statement.setString(1, SERIAL);
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof String text) {
                    statement.setString(i + 2, text);
                } else {
                    statement.setLong(i + 2, ((Number) values[i]).longValue());
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                int column = rows.getMetaData().getColumnCount(); // SQLite: id, parent, notused, detail; PostgreSQL: one column
                while (rows.next()) {
                    lines.add(rows.getString(column));
                }
            }
        }
        return lines;
    }

    /** The range of six types: serial, from, to, the types, the limit. */
    private static Object[] rangeValues() {
        List<Object> values = new ArrayList<>(List.of(1_000L, 2_000L));
        values.addAll(SIX_TYPES);
        values.add(50_001L);
        return values.toArray();
    }

    @Test
    void onSqliteTheHistoryReadsUseTheirIndexesWithoutSorting() throws SQLException {
        LockStore.open(StoreConfig.sqlite(data)).close(); // the migrated schema
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(StoreConfig.FILE_NAME))) {
            String explain = "EXPLAIN QUERY PLAN";

            List<String> range = plan(connection, explain, EventLogTable.betweenSql(SIX_TYPES.size()), rangeValues());
            List<String> anyType = plan(connection, explain, EventLogTable.betweenSql(-1), 1_000L, 2_000L, 100L);
            List<String> last = plan(connection, explain, EventLogTable.LAST_BEFORE, "DoorStateChanged", 2_000L);
            List<String> first = plan(connection, explain, EventLogTable.FIRST_AT_OR_AFTER, "StateChanged", 2_000L);

            for (List<String> plan : List.of(range, anyType)) {
                assertThat(plan).as(plan.toString()).anyMatch(line -> line.matches(".*USING (COVERING )?INDEX lock_event_serial_occurred .*"))
                        .noneMatch(line -> line.contains("TEMP B-TREE"));
            }
            for (List<String> plan : List.of(last, first)) {
                assertThat(plan).as(plan.toString())
                        .anyMatch(line -> line.matches(".*USING (COVERING )?INDEX lock_event_serial_type_occurred \\(serial_number=\\? AND type=\\? AND occurred_at.*"))
                        .noneMatch(line -> line.contains("TEMP B-TREE"));
            }
        }
    }

    @Test
    void onPostgresqlTheHistoryReadsUseTheirIndexesWithoutSorting() throws SQLException {
        String url = EmbeddedPostgresHolder.newDatabase();
        LockStore.open(StoreConfig.postgres(url, EmbeddedPostgresHolder.USER, "not-a-real-secret")).close();
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresHolder.USER, "")) {
            try (Statement statement = connection.createStatement()) {
                // An empty table is cheapest read whole; the question is which index the statement can use, and how.
                statement.execute("SET enable_seqscan = off");
                statement.execute("SET enable_bitmapscan = off");
            }
            String explain = "EXPLAIN";

            List<String> range = plan(connection, explain, EventLogTable.betweenSql(SIX_TYPES.size()), rangeValues());
            List<String> last = plan(connection, explain, EventLogTable.LAST_BEFORE, "DoorStateChanged", 2_000L);
            List<String> first = plan(connection, explain, EventLogTable.FIRST_AT_OR_AFTER, "StateChanged", 2_000L);

            assertThat(range).as(range.toString()).anyMatch(line -> line.contains("Index Scan Backward using lock_event_serial_occurred "))
                    .noneMatch(line -> line.contains("Sort"));
            assertThat(last).as(last.toString()).anyMatch(line -> line.contains("Index Scan Backward using lock_event_serial_type_occurred "))
                    .noneMatch(line -> line.contains("Sort"));
            assertThat(first).as(first.toString()).anyMatch(line -> line.contains("Index Scan using lock_event_serial_type_occurred "))
                    .noneMatch(line -> line.contains("Sort"));
        }
    }
}
