package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/events/stream}: each event once, in order, with an id to resume from. */
class EventStreamTest {
    @TempDir
    Path data;

    private ServiceHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    /** Reads SSE lines into a list until cancelled. */
    private CompletableFuture<HttpResponse<Stream<String>>> listen(List<String> lines, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(harness.url("/api/events/stream")).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        CompletableFuture<HttpResponse<Stream<String>>> response = harness.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> r.body().forEach(lines::add));
        return response;
    }

    private static List<Long> ids(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("id:")).map(l -> Long.parseLong(l.substring(3).trim())).toList();
    }

    @Test
    void streamsEachEventOnceInOrderAndResumesAfterLastEventId() {
        harness = new ServiceHarness(data).startAndWaitForLocks();
        List<String> first = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Stream<String>>> connection = listen(first, "0");
        await().atMost(Duration.ofSeconds(10)).until(() -> ids(first).size() >= 3);

        String webhook = "/webhooks/tedee/" + ServiceHarness.WEBHOOK_SECRET;
        harness.post(webhook, "{\"event\":\"lock-status-changed\",\"data\":{\"deviceId\":" + harness.lockId("SRV-00001")
                + ",\"state\":2,\"doorState\":0,\"eventTime\":\"" + java.time.Instant.now() + "\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.stream().anyMatch(l -> l.contains("StateChanged")));
        connection.join().body().close();
        List<Long> seen = ids(first);
        assertThat(seen).isSorted().doesNotHaveDuplicates();
        assertThat(first).anyMatch(l -> l.startsWith("data:") && l.contains("\"type\":\"Added\""));

        long resumeFrom = seen.get(seen.size() - 2);
        List<String> second = new CopyOnWriteArrayList<>();
        listen(second, Long.toString(resumeFrom));
        await().atMost(Duration.ofSeconds(10)).until(() -> !ids(second).isEmpty());

        assertThat(ids(second)).first().isEqualTo(seen.get(seen.size() - 1));
        assertThat(ids(second)).allMatch(id -> id > resumeFrom);
    }
}
