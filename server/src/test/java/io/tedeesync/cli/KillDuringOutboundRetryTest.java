package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code serve} while an outbound delivery waits for its retry loses nothing: started again on
 * the same data directory, it delivers every event the endpoint was given, in order. A real process, a real
 * SIGKILL, a real receiver on loopback.
 */
class KillDuringOutboundRetryTest {
    private static final String KEY = "outbound-crash-key";
    private static final String SECRET = "outbound-crash-webhook-secret";
    private static final String ADMIN = "outbound-crash-admin-token";
    private static final int CHANGES = 3;

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aDeliveryWaitingForItsRetryAtAKillNineIsDeliveredAfterTheRestartWithTheOnesBehindIt() throws Exception {
        Path data = dir.resolve("data");
        List<String> failed = new CopyOnWriteArrayList<>();
        List<String> delivered = new CopyOnWriteArrayList<>();
        AtomicBoolean healthy = new AtomicBoolean();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                boolean takes = healthy.get();
                (takes ? delivered : failed).add(id);
                exchange.sendResponseHeaders(takes ? 204 : 500, -1);
            }
        });
        receiver.start();
        Map<String, String> environment = Map.of("TEDEE_PERSONAL_KEY", KEY, "TEDEE_WEBHOOK_SECRET", SECRET, "TEDEE_ADMIN_TOKEN", ADMIN);
        String[] serveArgs;
        List<String> events = new ArrayList<>();
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("home", KEY);
            long lockId = simulator.addLock("home", "CRASH-1", "Door");
            simulator.setLockState("CRASH-1", 6);
            simulator.start(0);
            // Syncs far apart: the only events are the webhooks' (a sync would agree with the simulator anyway, set below).
            serveArgs = new String[] {"serve", "--api-url", simulator.baseUrl().toString(), "--port", "0", "--data", data.toString(),
                    "--allow-private-webhook-targets", "--sync-interval", "1h"};
            try (TedeeSyncProcess serve = TedeeSyncProcess.start(dir, environment, serveArgs)) {
                URI url = serve.awaitServing();
                serve.awaitStderr("1 lock(s) mirrored");
                HttpResponse<String> created = send(url.resolve("/api/webhook-endpoints"), "{\"url\":\"http://127.0.0.1:"
                        + receiver.getAddress().getPort() + "/hooks\"}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                simulator.setLockState("CRASH-1", CHANGES % 2 == 1 ? 2 : 6); // the last change's state
                for (int n = 1; n <= CHANGES; n++) {
                    int state = n % 2 == 1 ? 2 : 6;
                    Instant at = base.plusMillis(n);
                    HttpResponse<String> hook = send(url.resolve("/webhooks/tedee/" + SECRET), "{\"event\":\"lock-status-changed\","
                            + "\"timestamp\":\"" + at + "\",\"data\":{\"deviceId\":" + lockId + ",\"deviceType\":2,\"doorState\":0,"
                            + "\"eventTime\":\"" + at + "\",\"state\":" + state + "}}");
                    assertThat(hook.body()).contains("\"applied\"");
                }
                JsonNode logged = json.readTree(get(url.resolve("/api/events?serialNumber=CRASH-1&limit=100")).body());
                for (JsonNode event : logged) {
                    if (event.path("type").asText().equals("StateChanged")) {
                        events.add(event.path("id").asText());
                    }
                }
                assertThat(events).hasSize(CHANGES);
                // The first failed (500): it waits 5 s for its retry, the two behind it wait for it.
                await().atMost(Duration.ofSeconds(30)).failFast("serve ended", () -> !serve.isAlive()).until(() -> !failed.isEmpty());
                serve.kill();
            }
            assertThat(failed).as("only the first of the lock was tried").containsOnly(events.get(0));
            healthy.set(true);

            try (TedeeSyncProcess again = TedeeSyncProcess.start(dir, environment, serveArgs)) {
                URI url = again.awaitServing();
                await().atMost(Duration.ofSeconds(60)).failFast("serve ended", () -> !again.isAlive())
                        .until(() -> delivered.size() >= CHANGES);
                assertThat(delivered).as("every event, in order, the one that failed first").containsExactlyElementsOf(events);
                await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(get(url.resolve("/api/webhook-endpoints")).body())
                        .get(0).path("pending").asLong() == 0);
            }
        } finally {
            receiver.stop(0);
        }
    }

    private HttpResponse<String> send(URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ADMIN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
