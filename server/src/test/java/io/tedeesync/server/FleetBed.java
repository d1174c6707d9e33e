package io.tedeesync.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.client.Credentials;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A simulator with accounts and locks in chosen states, and the service against it over real HTTP, for the
 * fleet routes ({@code /api/locks} with its filters and pages, {@code /api/summary}). The service syncs every
 * 30 min, so that between its start and the end of a test only webhooks (the simulator sends them to it)
 * change a lock: an answer changes when the test changes something, not because a sync came by.
 */
final class FleetBed implements AutoCloseable {
    static final String WEBHOOK_SECRET = "fleet-webhook-secret-1a2b";
    static final Duration SYNC_INTERVAL = Duration.ofMinutes(30);

    /** The simulator's clock: moved on a little with each lock added, so that no two locks changed state in the same millisecond. */
    final ShiftedClock simulatorClock = new ShiftedClock();
    final TedeeSimulator simulator = TedeeSimulator.builder().clock(simulatorClock).operationDelay(Duration.ofMillis(200)).build();
    final ShiftedClock clock = new ShiftedClock();
    final HttpClient http = HttpClient.newHttpClient();
    private final Path data;
    /** Account name to its personal key, in the order added. */
    private final Map<String, String> accounts = new LinkedHashMap<>();
    /** Serial number to its account, in the order added. */
    private final Map<String, String> serials = new LinkedHashMap<>();
    TedeeSyncService service;
    /** Sent as {@code Authorization: Bearer} with every call when set (a service started with an API token). */
    String token;

    FleetBed(Path data) {
        this.data = data;
        simulator.start(0);
    }

    static String key(String account) {
        return "fleet-key-of-" + account;
    }

    FleetBed account(String name) {
        simulator.addAccount(name, key(name));
        accounts.put(name, key(name));
        return this;
    }

    /**
     * A lock in the simulator: {@code state} its code, {@code battery} 0..100, {@code door} its door code;
     * {@code connected} false makes it disconnected (no state, no battery in the API's answers).
     */
    FleetBed lock(String account, String serial, String name, int state, int battery, int door, boolean connected) {
        simulator.addLock(account, serial, name);
        simulatorClock.advance(Duration.ofMillis(5));
        simulator.setLockState(serial, state);
        simulator.setBattery(serial, battery);
        simulator.setDoorState(serial, door);
        if (!connected) {
            simulator.disconnect(serial);
        }
        serials.put(serial, account);
        return this;
    }

    /** The service for every account, with the settings tweaked; waits until it serves every lock, fresh. */
    FleetBed start(UnaryOperator<ServiceSettings> tweak) {
        return start(tweak, List.of());
    }

    /**
     * The service; the accounts in {@code unreachable} talk to a closed port (their locks come from the store,
     * stale for good). Waits until every lock is served and those of the reachable accounts are fresh.
     */
    FleetBed start(UnaryOperator<ServiceSettings> tweak, List<String> unreachable) {
        List<AccountSpec> specs = new ArrayList<>();
        URI closed = closedPort();
        accounts.forEach((name, key) -> specs.add(new AccountSpec(name, unreachable.contains(name) ? closed : simulator.baseUrl(), "v37",
                Credentials.personalKey(key), null, null)));
        ServiceSettings settings = new ServiceSettings(specs, SYNC_INTERVAL, "127.0.0.1", 0, data, null, null, null, WEBHOOK_SECRET, null,
                true, Duration.ofDays(30));
        service = TedeeSyncService.start(tweak.apply(settings), clock);
        simulator.registerWebhook(URI.create("http://127.0.0.1:" + service.port() + "/webhooks/tedee/" + WEBHOOK_SECRET));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode locks = read(get("/api/locks"));
            int fresh = 0;
            for (JsonNode lock : locks) {
                fresh += lock.get("stale").asBoolean() ? 0 : 1;
            }
            return locks.size() == serials.size() && fresh == serials.size() - unreachableLocks(unreachable);
        });
        return this;
    }

    private int unreachableLocks(List<String> unreachable) {
        return (int) serials.values().stream().filter(unreachable::contains).count();
    }

    void stopService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    private static URI closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    HttpResponse<String> get(String path, String... headers) {
        return HttpCalls.send(http, authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).GET()),
                headers);
    }

    /** A GET without the API token. */
    HttpResponse<String> getAnonymously(String path) {
        return HttpCalls.send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).GET());
    }

    HttpResponse<String> post(String path) {
        return HttpCalls.send(http, authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .POST(HttpRequest.BodyPublishers.noBody())));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    JsonNode read(HttpResponse<String> response) {
        return HttpCalls.read(response);
    }

    /** The serial numbers of a JSON array of lock views, in order. */
    static List<String> serialsOf(JsonNode views) {
        List<String> serials = new ArrayList<>();
        views.forEach(view -> serials.add(view.get("serialNumber").asText()));
        return serials;
    }

    /** The serial numbers {@code GET /api/locks?QUERY} answers (the unpaged array), in order. */
    List<String> serials(String query) {
        HttpResponse<String> response = get("/api/locks" + (query.isEmpty() ? "" : "?" + query));
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /api/locks?" + query + " answered " + response.statusCode() + ": " + response.body());
        }
        return serialsOf(read(response));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        stopService();
        simulator.close();
    }
}
