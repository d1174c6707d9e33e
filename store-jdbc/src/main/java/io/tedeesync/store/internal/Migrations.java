package io.tedeesync.store.internal;

import io.tedeesync.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationState;

/**
 * Brings a database to the store's schema with Flyway (the migrations in {@code db/migration}, the
 * same for SQLite and PostgreSQL) and checks that it is the store's. The history table has a name of
 * its own, so another application's Flyway history is not mistaken for ours. Stateless.
 *
 * <p>A store whose history already lists exactly this build's migrations, each successful and with the
 * checksum Flyway would compute for its script, is current: it is opened without Flyway, whose set-up,
 * classpath scan and validation took about a fifth of the service's start. Anything else (an empty
 * database, a missing or failed migration, an altered script, a version from a newer build) goes
 * through Flyway, which migrates or explains the refusal.
 */
final class Migrations {
    static final String HISTORY_TABLE = "tedee_sync_schema_history";
    static final String LOCATION = "db/migration";
    /**
     * This build's migrations, oldest first, as Flyway names them ({@code V<version>__<description>.sql});
     * a test holds this list to the files in {@value #LOCATION}.
     */
    static final List<String> SCRIPTS =
            List.of("V1__lock_snapshot_and_event_log.sql", "V2__account.sql", "V3__cluster.sql",
                    "V4__webhook_delivery.sql", "V5__event_history_index.sql");
    /** The tables the migrations make; a test holds this list to what a new store holds. */
    static final List<String> TABLES =
            List.of("lock_snapshot", "lock_event", "store_meta", "account", "cluster_instance", "account_lease",
                    "webhook_endpoint", "webhook_delivery", "webhook_attempt");

    private Migrations() {
    }

    /**
     * Refuses a database that holds other tables and no history of ours, then migrates and validates.
     *
     * @param hint what to do about a refusal, e.g. {@code move it away or point --data elsewhere}
     * @return the number of migrations applied now (0 when the schema was current)
     */
    static int migrate(DataSource dataSource, boolean sqlite, String description, String hint) {
        try (Connection connection = dataSource.getConnection()) {
            List<String> tables = tables(connection, sqlite);
            if (!tables.isEmpty() && !tables.contains(HISTORY_TABLE)) {
                throw new StoreException(description + " is not a tedee-sync database (it holds other tables: "
                        + sample(tables) + "); " + hint);
            }
            if (tables.containsAll(TABLES) && isCurrent(connection)) {
                return 0;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the tables of " + description + ": " + e.getMessage(), e);
        }
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:" + LOCATION)
                .table(HISTORY_TABLE)
                .validateOnMigrate(true)
                // Flyway ignores migrations it does not know ("future") by default; a store written by a
                // newer tedee-sync must not be written by an older one, whose rows may lack its columns.
                .ignoreMigrationPatterns(new String[0])
                .cleanDisabled(true)
                .load();
        int applied;
        try {
            applied = flyway.migrate().migrationsExecuted;
        } catch (FlywayException e) {
            List<String> future = futureVersions(flyway);
            if (!future.isEmpty()) {
                throw new StoreException(description + " was written by a newer tedee-sync (schema version "
                        + String.join(", ", future) + " is unknown to this one); use that version, or " + hint, e);
            }
            throw new StoreException(description + " does not hold a schema this version of tedee-sync knows ("
                    + oneLine(e.getMessage()) + "); " + hint, e);
        }
        try (Connection connection = dataSource.getConnection()) {
            List<String> present = tables(connection, sqlite);
            List<String> missing = new ArrayList<>(TABLES);
            missing.removeAll(present);
            if (!missing.isEmpty()) {
                throw new StoreException(description + " lacks the tables " + missing
                        + " although its schema history says they were made; " + hint);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the tables of " + description + ": " + e.getMessage(), e);
        }
        return applied;
    }

    /**
     * True when the history holds this build's migrations and nothing else, all successful, with the
     * checksums of this build's scripts: what Flyway's validation checks, without Flyway.
     */
    static boolean isCurrent(Connection connection) throws SQLException {
        List<String> applied = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, checksum, success FROM " + HISTORY_TABLE
                        + " ORDER BY installed_rank")) {
            while (rows.next()) {
                Object checksum = rows.getObject(2);
                if (!rows.getBoolean(3) || checksum == null) {
                    return false;
                }
                applied.add(rows.getString(1) + ":" + ((Number) checksum).intValue());
            }
        }
        List<String> expected = new ArrayList<>();
        for (String script : SCRIPTS) {
            expected.add(version(script) + ":" + checksum(script));
        }
        return applied.equals(expected);
    }

    /** {@code V12__what.sql} -> {@code 12}. */
    static String version(String script) {
        return script.substring(1, script.indexOf("__")).replace('_', '.');
    }

    /**
     * Flyway's checksum of a script: CRC-32 over the UTF-8 bytes of each line without its line break, a
     * byte-order mark removed; a test holds it to what Flyway writes into the history.
     */
    static int checksum(String script) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try (java.io.InputStream in = Migrations.class.getClassLoader().getResourceAsStream(LOCATION + "/" + script)) {
            if (in == null) {
                throw new StoreException("this build lacks its migration " + LOCATION + "/" + script);
            }
            java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            String line = reader.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            for (; line != null; line = reader.readLine()) {
                crc.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }

    /** Names (lower case) of the tables in the connection's current schema. */
    static List<String> tables(Connection connection, boolean sqlite) throws SQLException {
        String sql = sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                names.add(rows.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    static String sample(List<String> tables) {
        List<String> sorted = tables.stream().sorted().toList();
        return sorted.size() <= 5 ? String.join(", ", sorted)
                : String.join(", ", sorted.subList(0, 5)) + " and " + (sorted.size() - 5) + " more";
    }

    /** Versions in the history that no migration of this build knows: the database comes from a newer build. */
    private static List<String> futureVersions(Flyway flyway) {
        try {
            return Arrays.stream(flyway.info().applied())
                    .filter(info -> info.getState() == MigrationState.FUTURE_SUCCESS
                            || info.getState() == MigrationState.FUTURE_FAILED)
                    .map(info -> info.getVersion() == null ? info.getDescription() : info.getVersion().getVersion())
                    .toList();
        } catch (FlywayException e) {
            return List.of();
        }
    }

    /** Flyway's messages span lines and may list many migrations: one line, cut at a readable length. */
    private static String oneLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String line = message.strip().replaceAll("\\s+", " ");
        int advert = line.indexOf(" Need more flexibility");
        if (advert > 0) {
            line = line.substring(0, advert);
        }
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
