package io.tedeesync.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** A lock's history reads on the embedded SQLite file. */
class SqliteEventHistoryTest extends EventHistoryContract {
    @TempDir
    Path dataDir;

    @Override
    StoreConfig config() {
        return StoreConfig.sqlite(dataDir);
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(StoreConfig.FILE_NAME));
    }
}
