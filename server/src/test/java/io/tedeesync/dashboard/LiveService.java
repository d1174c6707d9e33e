package io.tedeesync.dashboard;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.accounts.AccountSpec;

import io.tedeesync.accounts.RuntimeAccountSettings;
import io.tedeesync.accounts.SignInSettings;
import io.tedeesync.client.Credentials;
import io.tedeesync.server.ServiceSettings;
import io.tedeesync.server.TedeeSyncService;
import io.tedeesync.simulator.TedeeSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The simulator and {@code serve} against it on loopback, the way a user runs them, with the simulator
 * sending its webhooks to the service. Locks are set up before {@link #start}. With {@link #accountsApi}
 * the service also has the accounts API and, if asked, sign-in with Tedee against the simulator's
 * authorize and token endpoints; {@link #tedeeAccount} makes an account that only Tedee knows, one to
 * sign in to or add at runtime.
 */
final class LiveService implements AutoCloseable {
    static final String WEBHOOK_SECRET = "dashboard-webhook-secret-3c1e";
    static final String SIGN_IN_CLIENT_ID = "dashboard-sign-in-client";
    /** The sealing key of runtime accounts' credentials, as TEDEE_SECRET_KEY would give it: 32 bytes, base64. */
    private static final String SECRET_KEY = Base64.getEncoder().encodeToString("dashboard-secret-key-32-bytes-ok".getBytes());
    private static final ObjectMapper JSON = new ObjectMapper();

    final TedeeSimulator simulator;
    final HttpClient http = HttpClient.newHttpClient();
    private final Path data;
    private final Clock clock;
    private final List<String> accounts = new ArrayList<>();
    private final List<String> serials = new ArrayList<>();
    private String apiToken;
    private String adminToken;
    private boolean signIn;
    private TedeeSyncService service;
    private boolean simulatorStarted;

    LiveService(Path data) {
        this(data, Clock.systemUTC());
    }

    /**
     * With one clock for the simulator and the service, so that both agree on when things happened: a clock
     * started days in the past and moved forward by the test gives the service a history of days (the
     * simulator's webhooks carry its time, and the service compares them with its own).
     */
    LiveService(Path data, Clock clock) {
        this.data = data;
        this.clock = clock;
        this.simulator = TedeeSimulator.builder().clock(clock).operationDelay(Duration.ofSeconds(1)).build();
    }

    LiveService account(String name) {
        simulator.addAccount(name, key(name));
        accounts.add(name);
        return this;
    }

    /** An account on (simulated) Tedee that the service does not declare: one to sign in to or add over the API. */
    LiveService tedeeAccount(String name) {
        simulator.addAccount(name, key(name));
        return this;
    }

    /**
     * Adds a Lock PRO in this state (a raw Tedee code: 2 unlocked, 3 semi-locked, 6 locked, ...). {@link #start}
     * waits for it when its account is declared.
     */
    LiveService lock(String account, String serial, String name, int stateCode) {
        simulator.addLock(account, serial, name);
        simulator.setLockState(serial, stateCode);
        if (accounts.contains(account)) {
            serials.add(serial);
        }
        return this;
    }

    /**
     * One simulated lock as a fleet test wants it: its Tedee state code (2 unlocked, 3 semi-locked, 6 locked,
     * 9 unknown, ...), battery level, door code (0 no sensor, 2 opened, 3 closed), charging, and whether its
     * bridge is gone.
     */
    record SimulatedLock(String account, String serial, String name, int stateCode, int battery, int doorCode,
            boolean charging, boolean disconnected) {
    }

    /**
     * Adds many locks at once, before {@link #start}, which waits for all of them (by one parse of the list per
     * poll, not a text search per lock). No webhooks go out: the service is not there yet.
     */
    LiveService locks(List<SimulatedLock> locks) {
        for (SimulatedLock lock : locks) {
            simulator.addLock(lock.account(), lock.serial(), lock.name());
            simulator.setLockState(lock.serial(), lock.stateCode());
            simulator.setBattery(lock.serial(), lock.battery());
            simulator.setDoorState(lock.serial(), lock.doorCode());
            if (lock.charging()) {
                simulator.setCharging(lock.serial(), true);
            }
            if (lock.disconnected()) {
                simulator.disconnect(lock.serial());
            }
            if (accounts.contains(lock.account())) {
                serials.add(lock.serial());
            }
        }
        return this;
    }

    /** Turns on the accounts API with this admin token, and sign-in with Tedee (the simulator's) if asked. Before {@link #start}. */
    LiveService accountsApi(String adminToken, boolean signIn) {
        this.adminToken = adminToken;
        this.signIn = signIn;
        return this;
    }

    /**
     * Starts the service ({@code apiToken} may be null) and waits until it lists every lock (from the
     * store, on a restart). May be called again after {@link #stopService}, on the same data.
     */
    LiveService start(String apiToken, boolean allowUnauthenticatedOperations) {
        this.apiToken = apiToken;
        if (!simulatorStarted) {
            simulator.start(0);
            simulatorStarted = true;
        }
        List<AccountSpec> specs = accounts.stream()
                .map(name -> new AccountSpec(name, simulator.baseUrl(), "v37", Credentials.personalKey(key(name)), null, null))
                .toList();
        ServiceSettings settings = new ServiceSettings(specs, Duration.ofSeconds(20), "127.0.0.1", 0, data, null, null, null,
                WEBHOOK_SECRET, apiToken, allowUnauthenticatedOperations, Duration.ofDays(30));
        if (adminToken != null) {
            settings = settings.withRuntimeAccounts(new RuntimeAccountSettings(adminToken, SECRET_KEY, !signIn ? null
                    : new SignInSettings(SIGN_IN_CLIENT_ID, null, simulator.authorizeUrl(), simulator.tokenUrl(), SignInSettings.DEFAULT_SCOPES, null))
                    .withApi(simulator.baseUrl(), "v37", io.tedeesync.accounts.AccountSpec.DEFAULT_REQUEST_TIMEOUT));
        }
        service = TedeeSyncService.start(settings, clock);
        simulator.registerWebhook(url("/webhooks/tedee/" + WEBHOOK_SECRET));
        Set<String> wanted = new HashSet<>(serials);
        await().atMost(Duration.ofSeconds(15 + serials.size() / 100)).pollInterval(Duration.ofMillis(200))
                .until(() -> listedSerials().containsAll(wanted));
        return this;
    }

    /** The serial numbers GET /api/locks lists now. */
    Set<String> listedSerials() {
        Set<String> listed = new HashSet<>();
        locksJson().forEach(lock -> listed.add(lock.path("serialNumber").asText()));
        return listed;
    }

    /** GET /api/locks, parsed. */
    JsonNode locksJson() {
        try {
            return JSON.readTree(get("/api/locks").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return service.port();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }

    /** A GET with the API token, if there is one. */
    HttpResponse<String> get(String path) {
        return send(authorized(HttpRequest.newBuilder(url(path))).GET().build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(authorized(HttpRequest.newBuilder(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A call with the admin token; {@code body} is JSON, or null for none. */
    HttpResponse<String> asAdmin(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Adds a {@link #tedeeAccount} to the running service over the API, with its personal key, as a runtime account. */
    HttpResponse<String> addAccount(String name) {
        return asAdmin("POST", "/api/accounts", "{\"name\":\"" + name + "\",\"personalKey\":\"" + key(name) + "\"}");
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts a lock-status-changed webhook as Tedee would, straight to the service. */
    HttpResponse<String> webhookStateChange(String serial, int stateCode) {
        String now = Instant.now().toString();
        return post("/webhooks/tedee/" + WEBHOOK_SECRET, "{\"event\":\"lock-status-changed\",\"timestamp\":\"" + now + "\","
                + "\"data\":{\"deviceId\":" + simulator.lock(serial).id() + ",\"deviceType\":2,\"doorState\":0,"
                + "\"eventTime\":\"" + now + "\",\"state\":" + stateCode + "}}");
    }

    /** Syncs one lock now, waiting out the 10 s floor (429 with Retry-After) if it was synced just before. */
    void syncNow(String serial) {
        await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(250))
                .until(() -> post("/api/locks/" + serial + "/sync", "").statusCode() == 200);
    }

    void stopService() {
        service.close();
        service = null;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30));
        return apiToken == null ? request : request.header("Authorization", "Bearer " + apiToken);
    }

    private static String key(String account) {
        return "dashboard-key-" + account;
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        simulator.close();
    }
}
