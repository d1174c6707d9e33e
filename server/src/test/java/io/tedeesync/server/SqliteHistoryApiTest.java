package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.client.LockState;
import io.tedeesync.sync.EventSource;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The history route on the embedded store, with what does not depend on the store: ETags, parameters, 404. Each
 * test a serial number of its own, as the contract's.
 */
class SqliteHistoryApiTest extends HistoryApiContract {
    @Override
    ServiceSettings onStore(ServiceSettings settings) {
        return settings;
    }

    private HttpResponse<String> get(String serial, String query) {
        return harness.get("/api/locks/" + serial + "/history" + query);
    }

    /** The error of a 400 answer, as "code: message". */
    private String badRequest(String query) {
        HttpResponse<String> response = get("SRV-00005", query);
        assertThat(response.statusCode()).as(query).isEqualTo(400);
        JsonNode error = harness.read(response);
        return error.path("error").asText() + ": " + error.path("message").asText();
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aRangeThatDidNotChangeIsAnsweredNotModifiedAndANewEventInItChangesTheTag() {
        Instant base = now().minus(Duration.ofDays(2));
        store(stateChanged("TAG-1", base, LockState.LOCKED, LockState.UNLOCKED, EventSource.SYNC));
        String range = "?from=" + base.minusSeconds(3600) + "&to=" + base.plusSeconds(3600);
        HttpResponse<String> first = get("TAG-1", range);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get("TAG-1", range);
        HttpResponse<String> notModified = harness.get("/api/locks/TAG-1/history" + range, "If-None-Match", etag);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(etag).as("weak").startsWith("W/\"");
        assertThat(first.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(again.headers().firstValue("ETag")).contains(etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        for (HttpResponse<String> answer : List.of(first, notModified)) {
            assertThat(answer.headers().allValues("Vary")).contains("Accept-Encoding");
        }
        assertThat(intervals(harness.read(first))).as("nothing before the range: its first change says it was LOCKED")
                .containsExactly("LOCKED/true/SYNC", "UNLOCKED/true/SYNC");

        store(stateChanged("TAG-1", base.plusSeconds(60), LockState.UNLOCKED, LockState.LOCKED, EventSource.WEBHOOK));
        HttpResponse<String> changed = harness.get("/api/locks/TAG-1/history" + range, "If-None-Match", etag);

        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(intervals(harness.read(changed))).containsExactly("LOCKED/true/SYNC", "UNLOCKED/true/SYNC", "LOCKED/true/WEBHOOK");
    }

    @Test
    void everyBadParameterIsA400ThatSaysWhy() {
        Instant now = now();
        String instant = "an ISO-8601 instant such as 2026-12-01T10:00:00Z or 2026-12-01T11:00:00+01:00";

        assertThat(badRequest("?from=yesterday")).isEqualTo("bad_parameter: from must be " + instant + "; was 'yesterday'");
        assertThat(badRequest("?to=2026-13-01T00:00:00Z")).isEqualTo("bad_parameter: to must be " + instant + "; was '2026-13-01T00:00:00Z'");
        assertThat(badRequest("?from=")).isEqualTo("bad_parameter: from is empty; give a value or leave it out");
        assertThat(badRequest("?from=" + now.minusSeconds(60) + "&to=" + now.minusSeconds(60)))
                .isEqualTo("bad_parameter: from (" + now.minusSeconds(60) + ") must be before to (" + now.minusSeconds(60) + ")");
        assertThat(badRequest("?from=" + now.minusSeconds(60) + "&to=" + now.minusSeconds(120))).contains("must be before to");
        assertThat(badRequest("?from=" + now.minus(Duration.ofDays(31)).minusSeconds(1) + "&to=" + now))
                .startsWith("bad_parameter: ").contains("more than 31 days apart");
        assertThat(badRequest("?from=" + now.plusSeconds(3600) + "&to=" + now.plusSeconds(7200))).contains("must be before now");
        assertThat(badRequest("?from=" + now.minusSeconds(60) + "&from=" + now.minusSeconds(30))).isEqualTo("bad_parameter: from is given 2 times; give it once");
        assertThat(badRequest("?from=-999999999-01-01T00:00:00Z&to=-999999999-01-02T00:00:00Z"))
                .isEqualTo("bad_parameter: to must be an instant in the years 0000 to 9999; was '-999999999-01-02T00:00:00Z'");
        assertThat(badRequest("?limit=5&from=" + now.minusSeconds(60))).isEqualTo("unknown_parameter: unknown parameter 'limit' (known: from, to)");
        assertThat(badRequest("?from=" + encoded("<script>alert('x')</script>" + "a".repeat(50))))
                .as("the value quoted sanitised and cut").contains("'?script?alert??x????script?" + "a".repeat(10) + "...'")
                .doesNotContain("<", ">");
    }

    @Test
    void thirtyOneDaysOffsetsAFutureEndAndACacheBusterAreAccepted() {
        Instant now = now();

        JsonNode month = history("SRV-00005", "?from=" + now.minus(Duration.ofDays(31)) + "&to=" + now);
        JsonNode offset = history("SRV-00005", "?from=" + encoded("2026-01-01T11:00:00+01:00") + "&to=2026-01-01T12:00:00Z");
        // A '+' left unencoded arrives as a space, and is read as the '+' it was.
        JsonNode plain = history("SRV-00005", "?from=2026-01-01T11:00:00+01:00&to=2026-01-01T12:00:00Z");
        JsonNode future = history("SRV-00005", "?to=" + now.plus(Duration.ofDays(1)));
        JsonNode busted = history("SRV-00005", "?_=1733080000&from=" + now.minus(Duration.ofDays(31)) + "&to=" + now);

        assertThat(month.path("from").asText()).isEqualTo(now.minus(Duration.ofDays(31)).toString());
        assertThat(offset.path("from").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(plain.path("from").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(offset.path("states")).as("nothing known then: the lock's first event after it is its Added").isEmpty();
        assertThat(Instant.parse(future.path("to").asText())).as("clipped to now").isBefore(now.plusSeconds(60));
        assertThat(future.path("from").asText()).as("24 h before the asked end").isEqualTo(now.toString());
        assertThat(intervals(future)).containsExactly("LOCKED/true/GET_ALL");
        assertThat(busted.path("states")).isEqualTo(month.path("states"));
    }

    @Test
    void aSerialWithNeitherLockNorEventsIsNotFoundAndOneWithEventsOnlyHasAHistory() {
        HttpResponse<String> missing = get("NOPE", "");
        Instant past = now().minus(Duration.ofHours(2));
        store(stateChanged("ARCHIVED-1", past, LockState.LOCKED, LockState.UNLOCKED, EventSource.SYNC));

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(harness.read(missing).path("error").asText()).isEqualTo("not_found");
        assertThat(harness.read(missing).path("message").asText()).contains("NOPE");
        assertThat(harness.get("/api/locks/ARCHIVED-1").statusCode()).as("no such lock").isEqualTo(404);
        JsonNode archived = history("ARCHIVED-1", "");
        assertThat(intervals(archived)).as("LOCKED before its one change, as that change says")
                .containsExactly("LOCKED/true/SYNC", "UNLOCKED/true/SYNC");
        assertThat(archived.path("states").get(1).path("from").asText()).isEqualTo(past.toString());
    }

    @Test
    void aBlankSerialIsNotFoundOnEveryLockRoute() {
        for (String path : List.of("/api/locks/%20/history", "/api/locks/%20%20", "/api/locks/%09/history?from=x")) {
            HttpResponse<String> answer = harness.get(path);

            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(harness.read(answer).path("error").asText()).as(path).isEqualTo("not_found");
        }
        assertThat(harness.post("/api/locks/%20/sync", "").statusCode()).isEqualTo(404);
    }
}
