package io.tedeesync.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.ds.PGSimpleDataSource;

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

    @Override
    DataSource rawDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(EmbeddedPostgresHolder.USER);
        return dataSource;
    }

    @Override
    List<String> refuseEventDeletes() {
        return List.of(
                "CREATE FUNCTION keep_events() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN RAISE EXCEPTION 'events are kept'; END $$",
                "CREATE TRIGGER keep_events BEFORE DELETE ON lock_event FOR EACH ROW EXECUTE FUNCTION keep_events()");
    }

    @Override
    List<String> refuseAccountsQuotingTheirRow() {
        // A CHECK violation: PostgreSQL's own message then says "Failing row contains (...)", every column.
        return List.of("ALTER TABLE account ADD CONSTRAINT refuse_account CHECK (api_version <> 'refused')");
    }
}
