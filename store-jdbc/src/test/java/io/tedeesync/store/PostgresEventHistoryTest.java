package io.tedeesync.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A lock's history reads on a real PostgreSQL. The database is made on first use (the contract opens the store in
 * its own {@code @BeforeEach}, which runs before a subclass's); one per test, as every test has its own instance.
 */
class PostgresEventHistoryTest extends EventHistoryContract {
    private String jdbcUrl;

    private String jdbcUrl() {
        if (jdbcUrl == null) {
            jdbcUrl = EmbeddedPostgresHolder.newDatabase();
        }
        return jdbcUrl;
    }

    @Override
    StoreConfig config() {
        return StoreConfig.postgres(jdbcUrl(), EmbeddedPostgresHolder.USER, "not-a-real-secret");
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), EmbeddedPostgresHolder.USER, "");
    }
}
