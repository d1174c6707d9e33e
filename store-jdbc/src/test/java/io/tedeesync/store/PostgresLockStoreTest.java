package io.tedeesync.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** The store's contract on a real PostgreSQL. */
class PostgresLockStoreTest extends LockStoreContract {
    private String jdbcUrl;

    @BeforeEach
    void createDatabase() {
        jdbcUrl = EmbeddedPostgresHolder.newDatabase();
    }

    @Override
    StoreConfig config() {
        return StoreConfig.postgres(jdbcUrl, EmbeddedPostgresHolder.USER, "not-a-real-secret");
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, EmbeddedPostgresHolder.USER, "");
    }

    @Override
    List<String> poisonTrigger() {
        return List.of(
                "CREATE FUNCTION reject_poison() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN RAISE EXCEPTION 'poisoned serial %', NEW.serial_number; END $$",
                "CREATE TRIGGER reject_poison BEFORE INSERT ON lock_event FOR EACH ROW "
                        + "WHEN (NEW.serial_number = 'POISON') EXECUTE FUNCTION reject_poison()");
    }

    @Override
    String expectedDescription() {
        return "PostgreSQL " + jdbcUrl;
    }
}
