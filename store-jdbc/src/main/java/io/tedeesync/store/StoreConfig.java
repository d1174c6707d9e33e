package io.tedeesync.store;

import io.tedeesync.store.internal.Redaction;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store keeps its data: an embedded SQLite file ({@link #sqlite(Path)}, the default) or a
 * PostgreSQL database ({@link #postgres(String, String, String)}). Exactly one of {@code dataDir} and
 * {@code jdbcUrl} is set. {@link #toString()} never shows the password, not even one written into
 * the URL. Immutable, so thread-safe.
 *
 * @param dataDir  directory of the SQLite file {@value #FILE_NAME} (created if missing), or null
 * @param jdbcUrl  a {@code jdbc:postgresql:} URL, or null
 * @param user     PostgreSQL user, or null (e.g. when the URL names it); null with SQLite
 * @param password PostgreSQL password, or null; null with SQLite
 */
public record StoreConfig(Path dataDir, String jdbcUrl, String user, String password) {

    /** Name of the SQLite file inside the data directory. */
    public static final String FILE_NAME = "tedee-sync.db";

    public StoreConfig {
        if ((dataDir == null) == (jdbcUrl == null)) {
            throw new IllegalArgumentException("give either a data directory (SQLite) or a JDBC URL (PostgreSQL)");
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("only PostgreSQL URLs (jdbc:postgresql:...) are supported, got "
                    + Redaction.url(jdbcUrl));
        }
        if (dataDir != null && (user != null || password != null)) {
            throw new IllegalArgumentException("the embedded SQLite store takes no user or password");
        }
    }

    /** The embedded store: one SQLite file, {@code <dataDir>/tedee-sync.db}. */
    public static StoreConfig sqlite(Path dataDir) {
        return new StoreConfig(Objects.requireNonNull(dataDir, "dataDir"), null, null, null);
    }

    /** A PostgreSQL database, e.g. {@code jdbc:postgresql://db.example.com/tedeesync}; user and password may be null. */
    public static StoreConfig postgres(String jdbcUrl, String user, String password) {
        return new StoreConfig(null, Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, password);
    }

    /** Whether this is the embedded SQLite store. */
    public boolean isEmbedded() {
        return dataDir != null;
    }

    @Override
    public String toString() {
        if (isEmbedded()) {
            return "StoreConfig[sqlite " + dataDir.resolve(FILE_NAME) + "]";
        }
        return "StoreConfig[postgres " + Redaction.url(jdbcUrl) + ", user=" + user
                + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
