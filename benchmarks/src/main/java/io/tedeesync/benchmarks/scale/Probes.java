package io.tedeesync.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The rig's few calls to the simulator's control API ({@code /_sim}, not counted as API requests) and to
 * the service ({@code /health}, {@code /api/locks}), with the JDK client and blocking calls (a handful a
 * second). Thread-safe.
 */
final class Probes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The simulator's request counters ({@code GET /_sim/stats}), or empty when it does not answer. */
    Optional<JsonNode> stats(URI simulator) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(simulator.resolve("/_sim/stats"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Sets the lock's state by hand ({@code POST /_sim/locks/{serial}/state?code=}); whether it was done. */
    boolean setState(URI simulator, String serial, int code) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(simulator.resolve("/_sim/locks/" + serial + "/state?code=" + code))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The body of a {@code GET} of the path that answered 200, or empty. */
    Optional<String> text(URI service, String path, Duration timeout) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(service.resolve(path)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@code GET /health} as JSON when it answered 200, or empty. */
    Optional<JsonNode> healthDocument(URI service) {
        try {
            Optional<String> body = text(service, "/health", Duration.ofSeconds(10));
            return body.isPresent() ? Optional.of(JSON.readTree(body.get())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The status of {@code GET /health}, or -1 when nothing answers yet. */
    int health(URI service) {
        try {
            return http.send(HttpRequest.newBuilder(service.resolve("/health")).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** How many locks {@code GET /api/locks} lists (read as a stream: 50,000 locks are some 20 MB), or -1. */
    long lockCount(URI service) {
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(service.resolve("/api/locks"))
                    .timeout(Duration.ofMinutes(2)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body(); var parser = JSON.getFactory().createParser(body)) {
                if (response.statusCode() != 200 || parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    return -1;
                }
                long count = 0;
                while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    count++;
                }
                return count;
            }
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
