package io.tedeesync.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on the embedded SQLite file. */
class SqliteLockStoreTest extends LockStoreContract {
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

    @Override
    List<String> poisonTrigger() {
        return List.of("CREATE TRIGGER reject_poison BEFORE INSERT ON lock_event WHEN NEW.serial_number = 'POISON' "
                + "BEGIN SELECT RAISE(ABORT, 'poisoned serial'); END");
    }

    @Override
    String expectedDescription() {
        return "SQLite " + dataDir.toAbsolutePath().normalize().resolve("tedee-sync.db");
    }
}
