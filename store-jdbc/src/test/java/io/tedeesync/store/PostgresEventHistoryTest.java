package io.tedeesync.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A lock's history reads on a real PostgreSQL: one database for the class (the contract's tests each read serial
 * numbers of their own), made on first use.
 */
class PostgresEventHistoryTest extends EventHistoryContract {
    private static String jdbcUrl;

    private static synchronized String jdbcUrl() {
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
