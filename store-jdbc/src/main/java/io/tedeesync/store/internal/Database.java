package io.tedeesync.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * An open, migrated database of the store: the connection pool, how to name it without secrets, and
 * (for SQLite) the lock on the data directory. Thread-safe.
 *
 * <p>SQLite runs in WAL mode with a small pool: WAL lets readers (the HTTP API) read while the one
 * writer writes, and the store lets only one thread write at a time. {@code synchronous=NORMAL} in WAL
 * mode can lose the last commits on a power cut but never corrupts the file, and the engine's next
 * sync brings the state back.
 */
public final class Database implements AutoCloseable {
    private static final int SQLITE_POOL_SIZE = 3;
    private static final int POSTGRES_POOL_SIZE = 4;
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    private static final long CONNECTION_TIMEOUT_MS = 10_000;

    private static final int DEDICATED_CONNECT_TIMEOUT_S = 10;
    // A half-open connection (the server gone without a reset) fails a statement after this long instead of never.
    private static final int DEDICATED_SOCKET_TIMEOUT_S = 30;

    private final HikariDataSource pool;
    private final String description;
    private final StoreConfig config;
    private final String password;
    private final DataDirLock dataDirLock;
    private final int migrationsApplied;

    private Database(HikariDataSource pool, String description, StoreConfig config, DataDirLock dataDirLock,
            String hint) {
        this.pool = pool;
        this.description = description;
        this.config = config;
        this.password = config.password();
        this.dataDirLock = dataDirLock;
        this.migrationsApplied = Migrations.migrate(pool, config.isEmbedded(), description, hint);
    }

    /** Opens (creating the SQLite file or directory if needed), migrates and validates; closes everything on failure. */
    public static Database open(StoreConfig config) {
        return config.isEmbedded() ? openSqlite(config.dataDir()) : openPostgres(config);
    }

    private static Database openSqlite(Path dataDir) {
        Path directory = dataDir.toAbsolutePath().normalize();
        Path file = directory.resolve(StoreConfig.FILE_NAME);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + directory + ": " + e, e);
        }
        DataDirLock lock = DataDirLock.acquire(directory);
        HikariDataSource pool = null;
        try {
            SqliteFile.verify(file);
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
            SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
            dataSource.setUrl("jdbc:sqlite:" + file);
            HikariConfig hikari = new HikariConfig();
            hikari.setDataSource(dataSource);
            hikari.setPoolName("tedee-sync-sqlite");
            hikari.setMaximumPoolSize(SQLITE_POOL_SIZE);
            hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
            String description = "SQLite " + file;
            pool = startPool(hikari, description, null);
            return new Database(pool, description, StoreConfig.sqlite(dataDir), lock,
                    "move it away or point --data elsewhere");
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            lock.close();
            throw e;
        }
    }

    private static Database openPostgres(StoreConfig config) {
        String description = "PostgreSQL " + Redaction.url(config.jdbcUrl());
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setPoolName("tedee-sync-postgresql");
        hikari.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // Try once without the pool: the pool would log an unreachable server as an ERROR with a stack
        // trace, and an unreachable database is expected trouble, not a bug.
        checkReachable(config, description);
        HikariDataSource pool = startPool(hikari, description, config.password());
        try {
            return new Database(pool, description, config, null, "use an empty database or schema for tedee-sync");
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void checkReachable(StoreConfig config, String description) {
        try (Connection connection = new Driver().connect(config.jdbcUrl(), credentials(config))) {
            if (connection == null) {
                throw new StoreException("not a PostgreSQL URL: " + description);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot connect to " + description + ": " + scrub(reason(e), config.password()), e);
        }
    }

    private static Properties credentials(StoreConfig config) {
        Properties properties = new Properties();
        if (config.user() != null) {
            properties.setProperty("user", config.user());
        }
        if (config.password() != null) {
            properties.setProperty("password", config.password());
        }
        return properties;
    }

    private static HikariDataSource startPool(HikariConfig hikari, String description, String password) {
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StoreException("cannot connect to " + description + ": " + scrub(cause.getMessage(), password), e);
        }
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Whether this is a PostgreSQL database (else the embedded SQLite file). */
    public boolean isPostgres() {
        return !config.isEmbedded();
    }

    /**
     * A PostgreSQL connection of the caller's own, outside the pool (the caller closes it), to the same
     * database with the same user and password as the pool: for a session that lives long, such as one
     * that {@code LISTEN}s, which would otherwise hold one of the pool's few connections for good.
     *
     * @param applicationName what {@code pg_stat_activity} shows for it (unless the URL names one)
     */
    public Connection dedicatedConnection(String applicationName) throws SQLException {
        if (!isPostgres()) {
            throw new IllegalStateException("only PostgreSQL has dedicated connections");
        }
        Properties properties = credentials(config);
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", Integer.toString(DEDICATED_CONNECT_TIMEOUT_S));
        properties.setProperty("socketTimeout", Integer.toString(DEDICATED_SOCKET_TIMEOUT_S));
        properties.setProperty("tcpKeepAlive", "true");
        Connection connection = new Driver().connect(config.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + description);
        }
        return connection;
    }

    /** What the database is, e.g. {@code SQLite /data/tedee-sync.db}; never with a password. */
    public String description() {
        return description;
    }

    /** Migrations applied by this open (0 when the schema was already current). */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    /** A {@link StoreException} for a failed statement: what, where, and the driver's reason without secrets. */
    public StoreException failure(String what, SQLException e) {
        return new StoreException("could not " + what + " in " + description + ": " + scrub(reason(e), password), e);
    }

    /**
     * As {@link #failure(String, SQLException)}, with {@code secret} (a value the statement wrote, such as
     * sealed credentials) also kept out: PostgreSQL quotes a failing row ("Failing row contains ..."). When
     * the driver's exception quotes it, the cause is a copy without it and without the driver's chain.
     */
    public StoreException failure(String what, SQLException e, String secret) {
        return failure(what, e, Collections.singletonList(secret));
    }

    /** As {@link #failure(String, SQLException, String)} with several secrets kept out (nulls ignored). */
    public StoreException failure(String what, SQLException e, Collection<String> secrets) {
        String reason = scrub(reason(e), password);
        boolean quoted = false;
        for (String secret : secrets) {
            reason = Redaction.text(reason, secret);
            quoted |= secret != null && quotes(e, secret);
        }
        SQLException cause = quoted ? withoutSecrets(e, secrets) : e;
        return new StoreException("could not " + what + " in " + description + ": " + reason, cause);
    }

    /** Why {@code e} happened, on one line, without the password: for a WARN line about expected trouble. */
    public String reason(Throwable e) {
        String message = e instanceof SQLException sql ? reason(sql) : String.valueOf(e.getMessage());
        return scrub(message, password);
    }

    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            if (dataDirLock != null) {
                dataDirLock.close();
            }
        }
    }

    /** True when the exception, its causes or the driver's next exceptions say {@code secret}. */
    private static boolean quotes(Throwable e, String secret) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>(List.of(e));
        while (!pending.isEmpty()) {
            Throwable next = pending.pop();
            if (!seen.add(next)) {
                continue;
            }
            String message = next.getMessage();
            if (message != null && !Redaction.text(message, secret).equals(message)) {
                return true;
            }
            if (next.getCause() != null) {
                pending.push(next.getCause());
            }
            if (next instanceof SQLException sql && sql.getNextException() != null) {
                pending.push(sql.getNextException());
            }
            pending.addAll(List.of(next.getSuppressed()));
        }
        return false;
    }

    private SQLException withoutSecrets(SQLException e, Collection<String> secrets) {
        String message = scrub(e.getMessage(), password);
        for (String secret : secrets) {
            message = Redaction.text(message, secret);
        }
        SQLException copy = new SQLException(e.getClass().getName() + ": " + message
                + " (the driver's own exception is left out: it quoted a secret)", e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** A driver's message with the password taken out, should it ever quote it or the URL. */
    private static String scrub(String message, String password) {
        return Redaction.text(Redaction.url(message), password);
    }

    /** The driver's own words; for a batch, the statement that failed rather than the batch's echo of the values. */
    private static String reason(SQLException e) {
        SQLException deepest = e;
        while (deepest instanceof BatchUpdateException && deepest.getNextException() != null) {
            deepest = deepest.getNextException();
        }
        String message = deepest.getMessage() == null ? deepest.toString() : deepest.getMessage();
        return message.strip().replaceAll("\\s+", " ");
    }
}
