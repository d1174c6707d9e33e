package io.tedeesync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.tedeesync.client.LockState;
import io.tedeesync.history.HistoryReader;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MirroredLock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HistoryRoutes} over real HTTP on a real SQLite store, with its parts given so that a history read can be
 * held in progress (its lock's copy is asked for, and the test answers when it says): the bound on the reads at
 * once, the bound on the events read ({@code truncated}), and what is answered before or without a store read.
 */
class HistoryRoutesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String RANGE = "?from=2026-12-01T10:00:00Z&to=2026-12-01T11:00:00Z";

    @TempDir
    Path data;

    private LockStore store;
    private Javalin app;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Copies asked for (a lock with no event at all: its history needs its copy), and how many are asked at once. */
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final AtomicInteger asked = new AtomicInteger();
    private final Semaphore answers = new Semaphore(0);
    private final AtomicInteger knownChecks = new AtomicInteger();

    @BeforeEach
    void open() {
        store = LockStore.open(StoreConfig.sqlite(data));
    }

    @AfterEach
    void close() {
        answers.release(1000);
        if (app != null) {
            app.stop();
        }
        store.close();
    }

    /** The route alone on a Javalin of its own, reading histories of up to {@code maxEvents} events, {@code maxReads} at once. */
    private void start(int maxEvents, int maxReads, Duration readWait) {
        Function<String, Optional<MirroredLock>> copies = serial -> {
            asked.incrementAndGet();
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                answers.acquireUninterruptibly();
                return Optional.empty();
            } finally {
                inside.decrementAndGet();
            }
        };
        Predicate<String> known = serial -> {
            knownChecks.incrementAndGet();
            return !store.copiesOf(serial).isEmpty() || serial.startsWith("SN");
        };
        HistoryRoutes routes = new HistoryRoutes(new HistoryReader(store.history(), copies, maxEvents), known,
                Clock.fixed(NOW, ZoneOffset.UTC), maxReads, readWait);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            routes.register(config.routes);
        }).start();
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private CompletableFuture<HttpResponse<String>> getLater(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return ApiJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void atMostTheBoundAreReadAtOnceAndOneMoreIsBusyOnceItsWaitIsOver() {
        start(1000, 4, Duration.ZERO);
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            held.add(getLater("/api/locks/SN-QUIET-" + i + "/history" + RANGE));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> inside.get() == 4);

        HttpResponse<String> fifth = get("/api/locks/SN-QUIET-5/history" + RANGE);

        assertThat(fifth.statusCode()).isEqualTo(503);
        assertThat(json(fifth).path("error").asText()).isEqualTo("busy");
        assertThat(json(fifth).path("message").asText()).contains("at most 4 lock histories are read at once");
        assertThat(fifth.headers().firstValue("Retry-After")).hasValue("5");
        answers.release(4);
        assertThat(held).allSatisfy(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
        assertThat(asked.get()).as("the fifth read nothing").isEqualTo(4);
        answers.release(1);
        assertThat(get("/api/locks/SN-QUIET-5/history" + RANGE).statusCode()).as("a place again, once they ended").isEqualTo(200);
    }

    @Test
    void oneMoreWaitsForAPlaceAndIsReadWhenOneEnds() {
        start(1000, 2, Duration.ofSeconds(60));
        List<CompletableFuture<HttpResponse<String>>> answersToCome = new ArrayList<>();
        answersToCome.add(getLater("/api/locks/SN-A/history" + RANGE));
        answersToCome.add(getLater("/api/locks/SN-B/history" + RANGE));
        await().atMost(Duration.ofSeconds(20)).until(() -> inside.get() == 2);
        answersToCome.add(getLater("/api/locks/SN-C/history" + RANGE));
        await().atMost(Duration.ofSeconds(20)).until(() -> knownChecks.get() == 3); // the third came, and waits for a place

        answers.release(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> asked.get() == 3);
        answers.release(2);

        assertThat(answersToCome).allSatisfy(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
        assertThat(mostInside.get()).as("never more than the bound at once").isEqualTo(2);
    }

    @Test
    void aRangeWithMoreEventsThanTheBoundIsTruncatedToItsNewest() {
        List<io.tedeesync.sync.SyncEvent> events = new ArrayList<>();
        for (int minute = 0; minute < 5; minute++) {
            Instant at = Instant.parse("2026-12-01T10:10:00Z").plus(Duration.ofMinutes(minute * 10));
            LockState to = minute % 2 == 0 ? LockState.UNLOCKED : LockState.LOCKED;
            LockState from = minute % 2 == 0 ? LockState.LOCKED : LockState.UNLOCKED;
            events.add(new LockEvent.StateChanged("home", "SN-BUSY", 7, at, at, EventSource.WEBHOOK, from, from.code(), to, to.code()));
        }
        store.onChanges(new ChangeBatch("home", NOW, events, List.of(), Set.of()));
        start(3, 4, Duration.ZERO);
        answers.release(10); // its connection is in no event: its copy is asked for (none)

        JsonNode history = json(get("/api/locks/SN-BUSY/history" + RANGE));

        assertThat(history.path("truncated").asBoolean()).isTrue();
        assertThat(history.path("from").asText()).as("moved to the oldest of the newest three read").isEqualTo("2026-12-01T10:30:00Z");
        assertThat(history.path("to").asText()).isEqualTo("2026-12-01T11:00:00Z");
        assertThat(history.path("states")).extracting(interval -> interval.path("state").asText() + "@" + interval.path("from").asText())
                .containsExactly("UNLOCKED@2026-12-01T10:30:00Z", "LOCKED@2026-12-01T10:40:00Z", "UNLOCKED@2026-12-01T10:50:00Z");
        assertThat(history.path("events")).hasSize(3);
    }

    @Test
    void aBlankSerialIsNotFoundBeforeAnyRead() {
        start(1000, 4, Duration.ZERO);
        store.close(); // any read now fails: an answer that is not 503 read nothing

        for (String blank : List.of("%20", "%20%20", "%09")) {
            HttpResponse<String> answer = get("/api/locks/" + blank + "/history");

            assertThat(answer.statusCode()).as(blank).isEqualTo(404);
            assertThat(json(answer).path("error").asText()).isEqualTo("not_found");
        }
        assertThat(knownChecks.get()).isZero();
    }

    @Test
    void aStoreThatCannotBeReadIs503WithWhenToComeBack() {
        start(1000, 4, Duration.ZERO);
        store.close();

        HttpResponse<String> answer = get("/api/locks/SN-1/history" + RANGE);

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(json(answer).path("error").asText()).isEqualTo("store_unavailable");
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(answer.body()).doesNotContain("Exception", "\tat ");
    }
}
