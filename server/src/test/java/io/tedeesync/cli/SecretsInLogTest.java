package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.simulator.TedeeSimulator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret reaches the log at any level. With {@code TEDEE_SYNC_LOG_LEVEL=DEBUG}, Jetty's debug lines
 * used to carry the request URI, and so the webhook secret (34 lines for one webhook), and its buffer dumps
 * the raw request: the API token in the {@code Authorization} header and in the stream's
 * {@code ?access_token=}. Run as a real process with our DEBUG and Jetty's DEBUG asked for by name.
 */
class SecretsInLogTest {
    private static final String PERSONAL_KEY = "pk-Quokka7Zebra3Mango9Walrus5Kiwi";
    private static final String API_TOKEN = "at-Otter4Lynx8Heron2Bison6Yak";
    private static final String WEBHOOK_SECRET = "ws-Puffin5Gecko1Tapir7Moose3Ibis";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void noSecretReachesTheLogEvenWithJettyAtDebugWhileTheRedactedPathDoes() throws Exception {
        String output;
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("home", PERSONAL_KEY);
            long lockId = simulator.addLock("home", "SECRET-1", "Front door");
            simulator.start(0);
            try (TedeeSyncProcess serve = TedeeSyncProcess.start(dir, Map.of(
                    "TEDEE_PERSONAL_KEY", PERSONAL_KEY, "TEDEE_API_TOKEN", API_TOKEN, "TEDEE_WEBHOOK_SECRET", WEBHOOK_SECRET,
                    "TEDEE_SYNC_LOG_LEVEL", "DEBUG", "TEDEE_SYNC_LOG_LEVELS", "org.eclipse.jetty=DEBUG"),
                    "serve", "--api-url", simulator.baseUrl().toString(), "--port", "0", "--data", dir.resolve("data").toString())) {
                URI url = serve.awaitServing();
                await().atMost(Duration.ofSeconds(20)).until(() -> send(HttpRequest.newBuilder(url.resolve("/api/locks"))
                        .header("Authorization", "Bearer " + API_TOKEN)).body().contains("SECRET-1"));

                HttpResponse<String> webhook = send(HttpRequest.newBuilder(url.resolve("/webhooks/tedee/" + WEBHOOK_SECRET))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":" + lockId
                                + ",\"state\":2,\"doorState\":3,\"eventTime\":\"" + Instant.now() + "\"}}")));
                readStreamBriefly(url.resolve("/api/events/stream?after=0&access_token=" + API_TOKEN));
                assertThat(webhook.statusCode()).isEqualTo(200);

                assertThat(serve.terminate()).isZero();
                output = serve.stdout() + serve.stderr();
            }
        }

        assertThat(output).as("Jetty's DEBUG was on").contains("DEBUG HttpParser").contains("DEBUG HttpConnection");
        assertThat(output).as("the webhook URI was logged, redacted").contains("/webhooks/tedee/***");
        for (String secret : List.of(WEBHOOK_SECRET, PERSONAL_KEY, API_TOKEN)) {
            for (int start = 0; start + 10 <= secret.length(); start++) {
                String piece = secret.substring(start, start + 10);
                assertThat(output).as("a piece of %s...", secret.substring(0, 3)).doesNotContain(piece);
            }
        }
    }

    /** Opens the event stream, reads its first event, and hangs up. */
    private void readStreamBriefly(URI stream) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(stream).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            byte[] first = body.readNBytes(64);
            assertThat(first).isNotEmpty();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
