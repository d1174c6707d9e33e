package io.tedeesync.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A started simulator on a movable clock with synchronous webhooks, and an HTTP client to talk to
 * it the way a real client does.
 */
final class Harness implements AutoCloseable {

    static final Instant START = Instant.parse("2025-03-10T10:15:00Z");
    static final String ALICE_KEY = "personal-key-alice";
    static final String BOB_KEY = "personal-key-bob";

    final MutableClock clock = new MutableClock(START);
    final TedeeSimulator sim;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ObjectMapper json = new ObjectMapper();
    SimAccount alice;
    SimAccount bob;

    private Harness(Consumer<TedeeSimulator.Builder> settings) {
        TedeeSimulator.Builder builder = TedeeSimulator.builder().clock(clock).webhookExecutor(Runnable::run);
        settings.accept(builder);
        sim = builder.build().start(0);
    }

    static Harness start() {
        return new Harness(builder -> {});
    }

    static Harness start(Consumer<TedeeSimulator.Builder> settings) {
        return new Harness(settings);
    }

    /** Alice and Bob, each with a personal key. */
    Harness withAliceAndBob() {
        alice = sim.addAccount("alice", ALICE_KEY);
        bob = sim.addAccount("bob", BOB_KEY);
        return this;
    }

    /** Moves simulated time and lets the simulator catch up (and deliver its webhooks). */
    void passes(Duration step) {
        clock.advance(step);
        sim.advance();
    }

    URI uri(String pathAndQuery) {
        return sim.baseUrl().resolve(pathAndQuery);
    }

    Reply get(String pathAndQuery, String personalKey) {
        return send(request(pathAndQuery).header("Authorization", "PersonalKey " + personalKey).GET());
    }

    Reply getWithAuthorization(String pathAndQuery, String authorization) {
        return send(request(pathAndQuery).header("Authorization", authorization).GET());
    }

    Reply getAnonymous(String pathAndQuery) {
        return send(request(pathAndQuery).GET());
    }

    Reply post(String pathAndQuery, String personalKey) {
        return send(request(pathAndQuery).header("Authorization", "PersonalKey " + personalKey)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    Reply postAnonymous(String pathAndQuery) {
        return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.noBody()));
    }

    Reply postForm(String path, String form) {
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    Reply send(HttpRequest.Builder request) {
        try {
            return reply(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply reply(HttpResponse<String> response) {
        return new Reply(response.statusCode(), response.headers(), response.body(), parse(response.body()));
    }

    JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The state of one lock as get-single sync at v37 shows it. */
    int syncedState(long lockId, String personalKey) {
        return get("/api/v37/my/lock/" + lockId + "/sync", personalKey).result().get("deviceState").get("state")
                .asInt();
    }

    @Override
    public void close() {
        sim.close();
    }
}
