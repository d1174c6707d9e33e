package io.tedeesync.server;

import io.tedeesync.accounts.AccountSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code serve} needs, resolved from flags, environment and the accounts file. Immutable;
 * {@link #toString()} never shows a secret.
 *
 * @param accounts                       the declared accounts (flags or an accounts file); may be empty only when
 *                                       accounts can be added at runtime ({@code runtimeAccounts} enabled)
 * @param syncInterval                   default sync-all interval (at least 10 s)
 * @param bind                           address to listen on (default 127.0.0.1)
 * @param port                           0 picks a free port
 * @param dataDir                        the embedded store's directory (used when {@code databaseUrl} is null)
 * @param databaseUrl                    a {@code jdbc:postgresql://} URL, or null for the embedded store
 * @param databaseUser                   PostgreSQL user, or null
 * @param databasePassword               PostgreSQL password, or null (secret)
 * @param webhookSecret                  the path secret of {@code /webhooks/tedee/{secret}}, or null to disable webhooks (secret)
 * @param apiToken                       bearer token required on {@code /api/**}, or null (secret)
 * @param allowUnauthenticatedOperations operate locks without an API token
 * @param retention                      how long events are kept
 * @param metricsPerAccount              {@code /metrics} labels request metrics and account gauges with the account
 *                                       (series grow with the accounts); otherwise totals only
 * @param runtimeAccounts                the accounts API, sign-in and the sealing key
 * @param cluster                        this instance's name and address among several on one PostgreSQL database, or
 *                                       null for the defaults (its host name and port; {@code http://BIND:PORT}); unused on SQLite
 * @param outbound                       how outbound webhooks are delivered (their API needs the admin token)
 * @param mqtt                           the MQTT broker to publish the locks to (with Home Assistant discovery), or null for none
 * @param lowBatteryBelow                {@code GET /api/summary} counts a lock's battery as low below this percentage (1..100;
 *                                       default {@value io.tedeesync.http.HttpApi#DEFAULT_LOW_BATTERY_BELOW})
 */
public record ServiceSettings(
        List<AccountSpec> accounts,
        Duration syncInterval,
        String bind,
        int port,
        Path dataDir,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String webhookSecret,
        String apiToken,
        boolean allowUnauthenticatedOperations,
        Duration retention,
        boolean metricsPerAccount,
        io.tedeesync.accounts.RuntimeAccountSettings runtimeAccounts,
        io.tedeesync.cluster.ClusterSettings cluster,
        io.tedeesync.outbound.OutboundSettings outbound,
        io.tedeesync.mqtt.MqttSettings mqtt,
        int lowBatteryBelow) {

    public ServiceSettings {
        Objects.requireNonNull(outbound, "outbound");
        accounts = List.copyOf(accounts);
        Objects.requireNonNull(runtimeAccounts, "runtimeAccounts");
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(retention, "retention");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be between 0 and 65535, was " + port);
        }
        if (lowBatteryBelow < 1 || lowBatteryBelow > 100) {
            throw new IllegalArgumentException("the low battery threshold must be a percentage from 1 to 100, was " + lowBatteryBelow);
        }
    }

    /** With the default low battery threshold. */
    public ServiceSettings(List<AccountSpec> accounts, Duration syncInterval, String bind, int port, Path dataDir, String databaseUrl,
            String databaseUser, String databasePassword, String webhookSecret, String apiToken, boolean allowUnauthenticatedOperations,
            Duration retention, boolean metricsPerAccount, io.tedeesync.accounts.RuntimeAccountSettings runtimeAccounts,
            io.tedeesync.cluster.ClusterSettings cluster, io.tedeesync.outbound.OutboundSettings outbound, io.tedeesync.mqtt.MqttSettings mqtt) {
        this(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret, apiToken,
                allowUnauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, cluster, outbound, mqtt,
                io.tedeesync.http.HttpApi.DEFAULT_LOW_BATTERY_BELOW);
    }

    /** With the default outbound webhook settings and no MQTT. */
    public ServiceSettings(List<AccountSpec> accounts, Duration syncInterval, String bind, int port, Path dataDir, String databaseUrl,
            String databaseUser, String databasePassword, String webhookSecret, String apiToken, boolean allowUnauthenticatedOperations,
            Duration retention, boolean metricsPerAccount, io.tedeesync.accounts.RuntimeAccountSettings runtimeAccounts,
            io.tedeesync.cluster.ClusterSettings cluster) {
        this(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret, apiToken,
                allowUnauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, cluster,
                io.tedeesync.outbound.OutboundSettings.DEFAULTS, null);
    }

    /** With the default cluster settings. */
    public ServiceSettings(List<AccountSpec> accounts, Duration syncInterval, String bind, int port, Path dataDir, String databaseUrl,
            String databaseUser, String databasePassword, String webhookSecret, String apiToken, boolean allowUnauthenticatedOperations,
            Duration retention, boolean metricsPerAccount, io.tedeesync.accounts.RuntimeAccountSettings runtimeAccounts) {
        this(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret, apiToken,
                allowUnauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, null);
    }

    /** Without per-account metrics. */
    public ServiceSettings(List<AccountSpec> accounts, Duration syncInterval, String bind, int port, Path dataDir, String databaseUrl,
            String databaseUser, String databasePassword, String webhookSecret, String apiToken, boolean allowUnauthenticatedOperations,
            Duration retention) {
        this(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret, apiToken,
                allowUnauthenticatedOperations, retention, false, io.tedeesync.accounts.RuntimeAccountSettings.OFF);
    }

    public ServiceSettings withMetricsPerAccount(boolean perAccount) {
        return new ServiceSettings(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret,
                apiToken, allowUnauthenticatedOperations, retention, perAccount, runtimeAccounts, cluster, outbound, mqtt, lowBatteryBelow);
    }

    public ServiceSettings withRuntimeAccounts(io.tedeesync.accounts.RuntimeAccountSettings runtime) {
        return new ServiceSettings(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret,
                apiToken, allowUnauthenticatedOperations, retention, metricsPerAccount, runtime, cluster, outbound, mqtt, lowBatteryBelow);
    }

    public ServiceSettings withCluster(io.tedeesync.cluster.ClusterSettings instance) {
        return new ServiceSettings(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret,
                apiToken, allowUnauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, instance, outbound, mqtt, lowBatteryBelow);
    }

    public ServiceSettings withOutbound(io.tedeesync.outbound.OutboundSettings webhooks) {
        return new ServiceSettings(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret,
                apiToken, allowUnauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, cluster, webhooks, mqtt, lowBatteryBelow);
    }

    public ServiceSettings withMqtt(io.tedeesync.mqtt.MqttSettings broker) {
        return new ServiceSettings(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret,
                apiToken, allowUnauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, cluster, outbound, broker, lowBatteryBelow);
    }

    public ServiceSettings withSyncInterval(Duration interval) {
        return new ServiceSettings(accounts, interval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret,
                apiToken, allowUnauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, cluster, outbound, mqtt, lowBatteryBelow);
    }

    /** On PostgreSQL at {@code url} (a {@code jdbc:postgresql://} URL), or on the embedded store with a null one. */
    public ServiceSettings withDatabase(String url, String user, String password) {
        return new ServiceSettings(accounts, syncInterval, bind, port, dataDir, url, user, password, webhookSecret,
                apiToken, allowUnauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, cluster, outbound, mqtt, lowBatteryBelow);
    }

    /** With this bearer token on {@code /api/**} (null: none), and operations allowed without one or not. */
    public ServiceSettings withApiToken(String token, boolean unauthenticatedOperations) {
        return new ServiceSettings(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret,
                token, unauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, cluster, outbound, mqtt, lowBatteryBelow);
    }

    public ServiceSettings withLowBatteryBelow(int percent) {
        return new ServiceSettings(accounts, syncInterval, bind, port, dataDir, databaseUrl, databaseUser, databasePassword, webhookSecret,
                apiToken, allowUnauthenticatedOperations, retention, metricsPerAccount, runtimeAccounts, cluster, outbound, mqtt, percent);
    }

    /** Whether operations may be called: with an API token, or when explicitly allowed without one. */
    public boolean operationsAllowed() {
        return apiToken != null || allowUnauthenticatedOperations;
    }

    @Override
    public String toString() {
        return "ServiceSettings[accounts=" + accounts.stream().map(AccountSpec::name).toList() + ", syncInterval=" + syncInterval
                + ", bind=" + bind + ", port=" + port + ", store="
                + (databaseUrl == null ? dataDir : io.tedeesync.store.StoreConfig.postgres(databaseUrl, databaseUser, null))
                + ", webhooks=" + (webhookSecret != null) + ", apiToken=" + (apiToken != null) + ", " + runtimeAccounts + (mqtt != null ? ", " + mqtt : "")
                + ", lowBatteryBelow=" + lowBatteryBelow + "]";
    }
}
