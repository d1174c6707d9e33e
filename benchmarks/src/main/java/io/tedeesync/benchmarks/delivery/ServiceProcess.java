package io.tedeesync.benchmarks.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.benchmarks.scale.Child;
import io.tedeesync.benchmarks.scale.SimulatorProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service under test as an operator runs it: {@code java [opts] -jar tedee-sync.jar serve} with the
 * simulator's URL and key, a fresh data directory, an inbound webhook secret, an admin token,
 * {@code --allow-private-webhook-targets} (the receivers are on 127.0.0.1) and {@code --mqtt-url} of the rig's
 * broker; output to {@code serve.log}. Talked to over HTTP only: {@code /health}, {@code /api/locks} and the
 * endpoints API. Not thread-safe.
 */
final class ServiceProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** An endpoint as created: its id and signing secret. */
    record Endpoint(String id, String secret) {
    }

    private final Child process;
    private final URI base;
    private final String adminToken;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceProcess(Child process, URI base, String adminToken) {
        this.process = process;
        this.base = base;
        this.adminToken = adminToken;
    }

    static ServiceProcess start(DeliveryOptions options, Path work, URI simulator, String personalKey, String webhookSecret,
            String adminToken, URI mqtt) throws IOException {
        int port = SimulatorProcess.freePort();
        List<String> command = new ArrayList<>();
        command.add(SimulatorProcess.javaExecutable());
        command.addAll(options.serveJavaOptions());
        command.addAll(List.of("-jar", options.jar().toAbsolutePath().toString(), "serve",
                "--api-url", simulator.toString(), "--data", work.resolve("data").toString(), "--port", Integer.toString(port),
                "--sync-interval", "20s", "--mqtt-url", mqtt.toString()));
        if (options.endpoints() > 0) {
            command.add("--allow-private-webhook-targets"); // the receivers are on 127.0.0.1
        }
        command.addAll(options.serveArguments());
        Map<String, String> environment = new LinkedHashMap<>();
        // Secrets through the environment, as an operator would (serve reads each of these variables).
        environment.put("TEDEE_PERSONAL_KEY", personalKey);
        environment.put("TEDEE_WEBHOOK_SECRET", webhookSecret);
        environment.put("TEDEE_ADMIN_TOKEN", adminToken);
        environment.put("TEDEE_SYNC_LOG_LEVEL", options.logLevel());
        Child process = Child.start("serve", command, work, environment);
        return new ServiceProcess(process, URI.create("http://127.0.0.1:" + port), adminToken);
    }

    long pid() {
        return process.pid();
    }

    URI webhookUri(String secret) {
        return base.resolve("/webhooks/tedee/" + secret);
    }

    int port() {
        return base.getPort();
    }

    /** Polls {@code /health} until 200, then {@code /api/locks} until it lists {@code locks}; returns the seconds taken. */
    double awaitLoaded(int locks, Duration timeout) throws IOException, InterruptedException {
        long started = process.startedNanos();
        long deadline = System.nanoTime() + timeout.toNanos();
        int listed = -1;
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException("serve exited (" + process.exitCode() + "):\n" + process.tail(30));
            }
            try {
                HttpResponse<String> answer = get("/api/locks", false);
                if (answer.statusCode() == 200) {
                    listed = JSON.readTree(answer.body()).size();
                    if (listed == locks) {
                        return (System.nanoTime() - started) / 1e9;
                    }
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("serve listed " + listed + " of " + locks + " locks after " + timeout.toSeconds() + " s:\n"
                + process.tail(30));
    }

    /** {@code POST /api/webhook-endpoints} with the admin token; 201 with {@code id} and {@code secret} expected. */
    Endpoint createEndpoint(URI url, String description) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("url", url.toString(), "description", description));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/webhook-endpoints")).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("POST /api/webhook-endpoints answered " + answer.statusCode() + ": " + answer.body());
        }
        JsonNode created = JSON.readTree(answer.body());
        if (!created.path("id").isTextual() || !created.path("secret").isTextual()) {
            throw new IllegalStateException("POST /api/webhook-endpoints answered without id or secret: " + answer.body());
        }
        return new Endpoint(created.get("id").asText(), created.get("secret").asText());
    }

    /** Pending deliveries per endpoint id, as {@code GET /api/webhook-endpoints} lists them ({@code pending}). */
    Map<String, Long> pending() throws IOException, InterruptedException {
        HttpResponse<String> answer = get("/api/webhook-endpoints", true);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET /api/webhook-endpoints answered " + answer.statusCode() + ": " + answer.body());
        }
        JsonNode listed = JSON.readTree(answer.body());
        if (!listed.isArray()) {
            listed = listed.path("endpoints"); // in case the list comes wrapped
        }
        Map<String, Long> pending = new LinkedHashMap<>();
        for (JsonNode endpoint : listed) {
            pending.put(endpoint.path("id").asText(), endpoint.path("pending").asLong(-1));
        }
        return pending;
    }

    /** The {@code /health} body (the outbound and MQTT parts are reported as they are). */
    String health() {
        try {
            return get("/health", false).body();
        } catch (IOException e) {
            return "(no answer: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    boolean alive() {
        return process.alive();
    }

    String tail(int lines) {
        return process.tail(lines);
    }

    private HttpResponse<String> get(String path, boolean admin) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(CALL_TIMEOUT);
        if (admin) {
            request.header("Authorization", "Bearer " + adminToken);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, as {@code serve} is stopped; waits for it. */
    @Override
    public void close() {
        process.close();
    }
}
