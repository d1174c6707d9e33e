package io.tedeesync.cli;

import io.tedeesync.server.AccountSpec;
import io.tedeesync.server.ServiceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags of {@code serve}; secrets may come from the environment instead. */
final class ServeOptions {
    static final String WEBHOOK_SECRET_VARIABLE = "TEDEE_WEBHOOK_SECRET";
    static final String API_TOKEN_VARIABLE = "TEDEE_API_TOKEN";
    static final String DATABASE_PASSWORD_VARIABLE = "TEDEE_DATABASE_PASSWORD";

    @Mixin
    AccountOptions accounts;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data", description = "Directory of the embedded store (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--database", paramLabel = "JDBC-URL", description = "PostgreSQL instead of the embedded store, e.g. jdbc:postgresql://db/tedee.")
    String database;

    @Option(names = "--database-user", paramLabel = "USER", description = "PostgreSQL user.")
    String databaseUser;

    @Option(names = "--database-password", paramLabel = "PASSWORD", description = "PostgreSQL password (or " + DATABASE_PASSWORD_VARIABLE + ").")
    String databasePassword;

    @Option(names = "--webhook-secret", paramLabel = "SECRET",
            description = "Enables POST /webhooks/tedee/SECRET (or " + WEBHOOK_SECRET_VARIABLE + ").")
    String webhookSecret;

    @Option(names = "--api-token", paramLabel = "TOKEN", description = "Require 'Authorization: Bearer TOKEN' on /api/** (or " + API_TOKEN_VARIABLE + ").")
    String apiToken;

    @Option(names = "--allow-unauthenticated-operations", description = "Allow lock/unlock/pull without --api-token (trusted networks only).")
    boolean allowUnauthenticatedOperations;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "30d", description = "How long events are kept (default: ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--metrics-per-account",
            description = "Label /metrics request metrics and account gauges with the account (series grow with the accounts; default: totals).")
    boolean metricsPerAccount;

    ServiceSettings settings(Map<String, String> environment) {
        accounts.checkInterval();
        if (retention.isNegative() || retention.isZero()) {
            throw new UsageException("--retention must be positive");
        }
        if (database != null && !database.startsWith("jdbc:postgresql:")) {
            throw new UsageException("--database must be a jdbc:postgresql:// URL");
        }
        try {
            return new ServiceSettings(accounts.accounts(environment), accounts.syncInterval, bind, port, data, database, databaseUser,
                    orEnv(databasePassword, environment, DATABASE_PASSWORD_VARIABLE), orEnv(webhookSecret, environment, WEBHOOK_SECRET_VARIABLE),
                    orEnv(apiToken, environment, API_TOKEN_VARIABLE), allowUnauthenticatedOperations, retention, metricsPerAccount);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String orEnv(String value, Map<String, String> environment, String variable) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        String fromEnv = environment.get(variable);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }
}
