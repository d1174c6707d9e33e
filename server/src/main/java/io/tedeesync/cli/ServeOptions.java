package io.tedeesync.cli;

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
    static final String ADMIN_TOKEN_VARIABLE = "TEDEE_ADMIN_TOKEN";
    static final String OAUTH_CLIENT_SECRET_VARIABLE = "TEDEE_OAUTH_CLIENT_SECRET";
    static final String MQTT_PASSWORD_VARIABLE = "TEDEE_MQTT_PASSWORD";

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

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Enables the accounts API (/api/accounts) and sign-in, for 'Authorization: Bearer TOKEN' (or " + ADMIN_TOKEN_VARIABLE + ").")
    String adminToken;

    @Option(names = "--oauth-client-id", paramLabel = "ID", description = "Sign in with Tedee: the OAuth client id Tedee registered for this service.")
    String oauthClientId;

    @Option(names = "--oauth-client-secret", paramLabel = "SECRET",
            description = "Its client secret, for service-to-service registrations only (or " + OAUTH_CLIENT_SECRET_VARIABLE + ").")
    String oauthClientSecret;

    @Option(names = "--oauth-authorize-url", paramLabel = "URL", description = "Tedee's authorize endpoint (default: Tedee's B2C policy).")
    java.net.URI oauthAuthorizeUrl;

    @Option(names = "--oauth-token-url", paramLabel = "URL", description = "Tedee's token endpoint (default: Tedee's B2C policy).")
    java.net.URI oauthTokenUrl;

    @Option(names = "--oauth-scopes", paramLabel = "SCOPES", description = "Space-separated scopes (default: user_impersonation, Device.Read,"
            + " Lock.Operate, offline_access).")
    String oauthScopes;

    @Option(names = "--oauth-redirect-uri", paramLabel = "URL",
            description = "This service's /oauth/callback as registered with Tedee (default: http://BIND:PORT/oauth/callback).")
    java.net.URI oauthRedirectUri;

    @Option(names = "--instance-name", paramLabel = "NAME",
            description = "With --database: this instance's name among the instances sharing the database (default: HOST:PORT).")
    String instanceName;

    @Option(names = "--instance-url", paramLabel = "URL", description = "With --database: where the other instances reach this one's"
            + " HTTP API, to relay operations and webhooks of the accounts it owns (default: http://BIND:PORT).")
    java.net.URI instanceUrl;

    @Option(names = "--mqtt-url", paramLabel = "URL",
            description = "Publish the locks to this MQTT broker, with Home Assistant discovery: tcp://HOST:1883 or ssl://HOST:8883.")
    String mqttUrl;

    @Option(names = "--mqtt-username", paramLabel = "USER", description = "The broker user (its password from " + MQTT_PASSWORD_VARIABLE + ").")
    String mqttUsername;

    @Option(names = "--mqtt-topic-prefix", paramLabel = "PREFIX", defaultValue = io.tedeesync.mqtt.MqttSettings.DEFAULT_TOPIC_PREFIX,
            description = "Root of the lock topics (default: ${DEFAULT-VALUE}).")
    String mqttTopicPrefix;

    @Option(names = "--mqtt-discovery-prefix", paramLabel = "PREFIX", defaultValue = io.tedeesync.mqtt.MqttSettings.DEFAULT_DISCOVERY_PREFIX,
            description = "Home Assistant's discovery prefix, or 'none' for no discovery (default: ${DEFAULT-VALUE}).")
    String mqttDiscoveryPrefix;

    @Option(names = "--mqtt-commands", description = "Let LOCK, UNLOCK and OPEN on <prefix>/<serial>/set operate the locks (default: refused).")
    boolean mqttCommands;

    @Option(names = "--allow-private-webhook-targets",
            description = "Let outbound webhook endpoints point at loopback and private networks (refused by default: SSRF).")
    boolean allowPrivateWebhookTargets;

    @Option(names = "--webhook-retry-for", paramLabel = "DURATION", defaultValue = "24h",
            description = "How long an outbound webhook is retried, and an endpoint may fail before it is disabled (default: ${DEFAULT-VALUE}).")
    Duration webhookRetryFor;

    @Option(names = "--low-battery-below", paramLabel = "PERCENT", defaultValue = "" + io.tedeesync.http.HttpApi.DEFAULT_LOW_BATTERY_BELOW,
            description = "GET /api/summary counts a battery below this percentage as low, 1..100 (default: ${DEFAULT-VALUE}).")
    int lowBatteryBelow;

    ServiceSettings settings(Map<String, String> environment) {
        accounts.checkInterval();
        io.tedeesync.accounts.RuntimeAccountSettings runtime = runtimeAccounts(environment);
        if (retention.isNegative() || retention.isZero()) {
            throw new UsageException("--retention must be positive");
        }
        if (lowBatteryBelow < 1 || lowBatteryBelow > 100) {
            throw new UsageException("--low-battery-below must be a percentage from 1 to 100, was " + lowBatteryBelow);
        }
        if (database != null && !database.startsWith("jdbc:postgresql:")) {
            throw new UsageException("--database must be a jdbc:postgresql:// URL");
        }
        if (database == null && (instanceName != null || instanceUrl != null)) {
            throw new UsageException("--instance-name and --instance-url are for several instances on one --database (SQLite is single-instance)");
        }
        if (instanceUrl != null && (instanceUrl.getHost() == null || !"http".equalsIgnoreCase(instanceUrl.getScheme())
                && !"https".equalsIgnoreCase(instanceUrl.getScheme()))) {
            throw new UsageException("--instance-url must be an http(s) URL, e.g. http://10.0.0.5:8080");
        }
        try {
            io.tedeesync.cluster.ClusterSettings cluster = new io.tedeesync.cluster.ClusterSettings(instanceName, instanceUrl,
                    io.tedeesync.cluster.ClusterSettings.HEARTBEAT, io.tedeesync.cluster.ClusterSettings.LEASE_TTL);
            return new ServiceSettings(accounts.accounts(environment, runtime.enabled()), accounts.syncInterval, bind, port, data, database,
                    databaseUser, orEnv(databasePassword, environment, DATABASE_PASSWORD_VARIABLE),
                    orEnv(webhookSecret, environment, WEBHOOK_SECRET_VARIABLE), orEnv(apiToken, environment, API_TOKEN_VARIABLE),
                    allowUnauthenticatedOperations, retention, metricsPerAccount, runtime, cluster)
                    .withOutbound(outbound()).withMqtt(mqtt(environment)).withLowBatteryBelow(lowBatteryBelow);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The MQTT settings, or null without --mqtt-url; a bad URL or prefix is one line (an IllegalArgumentException). */
    private io.tedeesync.mqtt.MqttSettings mqtt(Map<String, String> environment) {
        String password = orEnv(null, environment, MQTT_PASSWORD_VARIABLE);
        if (mqttUrl == null) {
            if (mqttUsername != null || mqttCommands || password != null) {
                throw new UsageException("the --mqtt-* flags (and " + MQTT_PASSWORD_VARIABLE + ") need --mqtt-url");
            }
            return null;
        }
        java.net.URI url;
        try {
            url = new java.net.URI(mqttUrl.trim());
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("--mqtt-url must be tcp://HOST:PORT or ssl://HOST:PORT");
        }
        return new io.tedeesync.mqtt.MqttSettings(url, mqttUsername, password, mqttTopicPrefix,
                "none".equalsIgnoreCase(mqttDiscoveryPrefix) ? null : mqttDiscoveryPrefix, mqttCommands);
    }

    private io.tedeesync.outbound.OutboundSettings outbound() {
        if (webhookRetryFor.isNegative() || webhookRetryFor.isZero()) {
            throw new UsageException("--webhook-retry-for must be positive");
        }
        return io.tedeesync.outbound.OutboundSettings.DEFAULTS.withAllowPrivateTargets(allowPrivateWebhookTargets)
                .withRetryFor(webhookRetryFor);
    }

    private io.tedeesync.accounts.RuntimeAccountSettings runtimeAccounts(Map<String, String> environment) {
        String admin = orEnv(adminToken, environment, ADMIN_TOKEN_VARIABLE);
        boolean oauthFlags = oauthClientSecret != null || oauthAuthorizeUrl != null || oauthTokenUrl != null || oauthScopes != null
                || oauthRedirectUri != null;
        if (oauthClientId == null && oauthFlags) {
            throw new UsageException("the --oauth-* flags need --oauth-client-id");
        }
        if (oauthClientId != null && admin == null) {
            throw new UsageException("sign-in with Tedee adds accounts, so it needs --admin-token (or " + ADMIN_TOKEN_VARIABLE + ")");
        }
        if (admin != null && admin.equals(orEnv(apiToken, environment, API_TOKEN_VARIABLE))) {
            throw new UsageException("--admin-token must differ from --api-token (the API token may only read accounts)");
        }
        io.tedeesync.accounts.SignInSettings signIn = null;
        if (oauthClientId != null) {
            try {
                signIn = new io.tedeesync.accounts.SignInSettings(oauthClientId,
                        orEnv(oauthClientSecret, environment, OAUTH_CLIENT_SECRET_VARIABLE),
                        oauthAuthorizeUrl != null ? oauthAuthorizeUrl : io.tedeesync.accounts.SignInSettings.TEDEE_AUTHORIZE_URL,
                        oauthTokenUrl != null ? oauthTokenUrl : io.tedeesync.accounts.SignInSettings.TEDEE_TOKEN_URL,
                        oauthScopes != null ? oauthScopes : io.tedeesync.accounts.SignInSettings.DEFAULT_SCOPES, oauthRedirectUri);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return new io.tedeesync.accounts.RuntimeAccountSettings(admin, environment.get(io.tedeesync.accounts.SecretKeyFile.VARIABLE), signIn)
                .withApi(accounts.api.apiUri(), accounts.api.apiVersion, accounts.api.timeout);
    }

    private static String orEnv(String value, Map<String, String> environment, String variable) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        String fromEnv = environment.get(variable);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }
}
