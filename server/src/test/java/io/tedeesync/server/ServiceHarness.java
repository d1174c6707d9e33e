package io.tedeesync.server;

import io.tedeesync.accounts.AccountSpec;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.Credentials;
import io.tedeesync.simulator.TedeeSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A simulator and the service against it, over real HTTP on loopback, with helpers to call the API. */
final class ServiceHarness implements AutoCloseable {
    static final String KEY = "harness-personal-key-5f2e";
    static final String WEBHOOK_SECRET = "harness-webhook-secret-77aa";

    final TedeeSimulator simulator;
    final Path data;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    /** The service's clock: the real time unless a test moves it forward. */
    final ShiftedClock clock = new ShiftedClock();
    TedeeSyncService service;
    ServiceSettings settings;

    ServiceHarness(Path data) {
        this.data = data;
        simulator = TedeeSimulator.builder().operationDelay(Duration.ofMillis(300)).build();
        simulator.addAccount("home", KEY);
        for (int i = 1; i <= 3; i++) {
            simulator.addLock("home", "SRV-0000" + i, "Door " + i);
            simulator.setLockState("SRV-0000" + i, 6);
        }
        simulator.start(0);
    }

    ServiceSettings defaults() {
        return new ServiceSettings(List.of(new AccountSpec("home", simulator.baseUrl(), "v37", Credentials.personalKey(KEY), null, null)),
                Duration.ofSeconds(20), "127.0.0.1", 0, data, null, null, null, WEBHOOK_SECRET, null, true, Duration.ofDays(30));
    }

    /** Accounts at runtime, added accounts talking to this harness's simulator. */
    io.tedeesync.accounts.RuntimeAccountSettings runtimeAccounts(String adminToken, String secretKey,
            io.tedeesync.accounts.SignInSettings signIn) {
        return new io.tedeesync.accounts.RuntimeAccountSettings(adminToken, secretKey, signIn)
                .withApi(simulator.baseUrl(), "v37", AccountSpec.DEFAULT_REQUEST_TIMEOUT);
    }

    ServiceHarness start(UnaryOperator<ServiceSettings> tweak) {
        settings = tweak.apply(defaults());
        service = TedeeSyncService.start(settings, clock);
        return this;
    }

    ServiceHarness startAndWaitForLocks() {
        start(s -> s);
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/api/locks").body().contains("SRV-00003"));
        return this;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(url(path)).GET(), headers);
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    HttpResponse<String> patch(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    HttpResponse<String> delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(url(path)).DELETE(), headers);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        return HttpCalls.send(http, request, headers);
    }

    /** The status of a GET, read as soon as the headers are in (for streams that do not end). */
    int statusOf(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET().timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode read(HttpResponse<String> response) {
        return HttpCalls.read(response);
    }

    long lockId(String serial) {
        return simulator.lock(serial).id();
    }

    void stopService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    @Override
    public void close() {
        stopService();
        simulator.close();
    }

    /** A {@code lock-status-changed} webhook body as the Tedee docs show it, happening now. */
    static String statusChange(long deviceId, int state) {
        return "{\"event\":\"lock-status-changed\",\"timestamp\":\"" + java.time.Instant.now() + "\",\"userIdentity\":\"u-1\","
                + "\"data\":{\"deviceId\":" + deviceId + ",\"deviceType\":2,\"doorState\":0,\"eventTime\":\"" + java.time.Instant.now()
                + "\",\"state\":" + state + "}}";
    }
}
