package io.tedeesync.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One fresh embedded PostgreSQL database shared by several stores, as instances of a cluster share
 * theirs, with a connection of the test's own to look at or tamper with it. Closes what it opened.
 */
final class ClusterDatabase implements AutoCloseable {
    static final String PASSWORD = "cluster-Pa55word";
    private final String url = EmbeddedPostgresHolder.newDatabase();
    private final List<LockStore> opened = new ArrayList<>();

    /** A store on the database: one instance of the cluster. */
    LockStore open() {
        LockStore store = LockStore.open(StoreConfig.postgres(url, EmbeddedPostgresHolder.USER, PASSWORD));
        opened.add(store);
        return store;
    }

    void execute(String... statements) throws SQLException {
        try (Connection connection = raw(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    long number(String sql) throws SQLException {
        try (Connection connection = raw(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new AssertionError("no row: " + sql);
            }
            return rows.getLong(1);
        }
    }

    String text(String sql) throws SQLException {
        try (Connection connection = raw(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new AssertionError("no row: " + sql);
            }
            return rows.getString(1);
        }
    }

    /** The database's clock, in the store's encoding. */
    long dbNow() throws SQLException {
        return number("SELECT floor(extract(epoch from clock_timestamp()) * 1000)::bigint");
    }

    /** Counts the INSERT and UPDATE statements (not rows) run on {@code account_lease} from now on. */
    void countLeaseStatements() throws SQLException {
        execute("CREATE TABLE statement_count (kind TEXT PRIMARY KEY, n INTEGER NOT NULL)",
                "CREATE FUNCTION count_statement() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO statement_count VALUES (TG_OP, 1) "
                        + "ON CONFLICT (kind) DO UPDATE SET n = statement_count.n + 1; RETURN NULL; END $$",
                "CREATE TRIGGER count_lease_statements AFTER INSERT OR UPDATE ON account_lease "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION count_statement()");
    }

    /** How many statements of that kind ({@code INSERT}, {@code UPDATE}) ran since {@link #countLeaseStatements()}. */
    long leaseStatements(String kind) throws SQLException {
        return number("SELECT COALESCE(SUM(n), 0) FROM statement_count WHERE kind = '" + kind + "'");
    }

    /** A connection of the test's own (the caller closes it). */
    Connection raw() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresHolder.USER, "");
    }

    @Override
    public void close() {
        opened.forEach(LockStore::close);
    }
}
