package io.tedeesync.store.internal;

import io.tedeesync.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Decides, without changing a byte of it, whether an existing file may be opened as the store: it
 * must be absent, empty (SQLite treats a 0-byte file as an empty database), or a SQLite database that
 * is empty or holds tedee-sync's schema history. Anything else is someone's data and is refused with
 * a {@link StoreException}; the store never resets a file. Stateless.
 */
final class SqliteFile {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /** A SQLite file is at least its 100-byte header. */
    private static final int HEADER_SIZE = 100;

    private SqliteFile() {
    }

    static void verify(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw notOurs(file, "it is not a regular file");
        }
        long size;
        byte[] magic;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            magic = in.readNBytes(MAGIC.length);
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e, e);
        }
        if (size == 0) {
            return;
        }
        if (size < HEADER_SIZE || !Arrays.equals(magic, MAGIC)) {
            throw notOurs(file, "not a SQLite file");
        }
        // Read-only and without the WAL pragma: even switching the journal mode would rewrite the header.
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        List<String> tables;
        try (Connection connection = readOnly.createConnection("jdbc:sqlite:" + file)) {
            tables = Migrations.tables(connection, true);
        } catch (SQLException e) {
            throw notOurs(file, "an unreadable SQLite file: " + e.getMessage());
        }
        if (!tables.isEmpty() && !tables.contains(Migrations.HISTORY_TABLE)) {
            throw notOurs(file, "a SQLite database of something else, with tables " + Migrations.sample(tables));
        }
    }

    private static StoreException notOurs(Path file, String reason) {
        return new StoreException(file + " is not a tedee-sync database (" + reason
                + "); move it away or point --data elsewhere");
    }
}
