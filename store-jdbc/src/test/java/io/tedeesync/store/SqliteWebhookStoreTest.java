package io.tedeesync.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The webhook tables' contract on the embedded SQLite file. */
class SqliteWebhookStoreTest extends WebhookStoreContract {
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
