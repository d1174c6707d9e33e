package io.tedeesync.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;

/** The webhook tables' contract on a real PostgreSQL. */
class PostgresWebhookStoreTest extends WebhookStoreContract {
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
}
