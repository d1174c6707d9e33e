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
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The history route on the embedded store, with what does not depend on the store: ETags, parameters, 404. */
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
        HttpResponse<String> response = get("SRV-00001", query);
        assertThat(response.statusCode()).as(query).isEqualTo(400);
        JsonNode error = harness.read(response);
        return error.path("error").asText() + ": " + error.path("message").asText();
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aRangeThatDidNotChangeIsAnsweredNotModifiedAndANewEventInItChangesTheTag() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
        store(stateChanged("SRV-00001", base, LockState.LOCKED, LockState.UNLOCKED, EventSource.SYNC));
        String range = "?from=" + base.minusSeconds(3600) + "&to=" + base.plusSeconds(3600);
        HttpResponse<String> first = get("SRV-00001", range);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get("SRV-00001", range);
        HttpResponse<String> notModified = harness.get("/api/locks/SRV-00001/history" + range, "If-None-Match", etag);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(again.headers().firstValue("ETag")).contains(etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();

        store(stateChanged("SRV-00001", base.plusSeconds(60), LockState.UNLOCKED, LockState.LOCKED, EventSource.WEBHOOK));
        HttpResponse<String> changed = harness.get("/api/locks/SRV-00001/history" + range, "If-None-Match", etag);

        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(intervals(harness.read(changed))).containsExactly("UNLOCKED/true/SYNC", "LOCKED/true/WEBHOOK");
    }

    @Test
    void everyBadParameterIsA400ThatSaysWhy() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        assertThat(badRequest("?from=yesterday")).startsWith("bad_parameter: from: 'yesterday' is not an ISO-8601 instant");
        assertThat(badRequest("?to=2026-13-01T00:00:00Z")).startsWith("bad_parameter: to: '2026-13-01T00:00:00Z' is not an ISO-8601");
        assertThat(badRequest("?from=")).startsWith("bad_parameter: from: '' is not an ISO-8601 instant");
        assertThat(badRequest("?from=" + now.minusSeconds(60) + "&to=" + now.minusSeconds(60)))
                .isEqualTo("bad_parameter: from (" + now.minusSeconds(60) + ") must be before to (" + now.minusSeconds(60) + ")");
        assertThat(badRequest("?from=" + now.minusSeconds(60) + "&to=" + now.minusSeconds(120))).contains("must be before to");
        assertThat(badRequest("?from=" + now.minus(Duration.ofDays(31)).minusSeconds(1) + "&to=" + now))
                .startsWith("bad_parameter: ").contains("more than 31 days apart");
        assertThat(badRequest("?from=" + now.plusSeconds(3600) + "&to=" + now.plusSeconds(7200))).contains("must be before now");
        assertThat(badRequest("?from=" + now.minusSeconds(60) + "&from=" + now.minusSeconds(30))).isEqualTo("bad_parameter: from is given 2 times; give it once");
        assertThat(badRequest("?from=-999999999-01-01T00:00:00Z&to=-999999999-01-02T00:00:00Z"))
                .isEqualTo("bad_parameter: to: '-999999999-01-02T00:00:00Z' is outside the years 0000 to 9999");
        assertThat(badRequest("?limit=5&from=" + now.minusSeconds(60))).isEqualTo("unknown_parameter: unknown parameter(s) limit; known: from, to");
        assertThat(badRequest("?from=" + encoded("<script>alert('x')</script>" + "a".repeat(50))))
                .as("the value quoted sanitised and cut").contains("'?script?alert??x????script?" + "a".repeat(13) + "'")
                .doesNotContain("<", ">");
    }

    @Test
    void thirtyOneDaysOffsetsAndAFutureEndAreAccepted() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        JsonNode month = history("SRV-00001", "?from=" + now.minus(Duration.ofDays(31)) + "&to=" + now);
        JsonNode offset = history("SRV-00001", "?from=" + encoded("2026-01-01T11:00:00+01:00") + "&to=2026-01-01T12:00:00Z");
        // A '+' left unencoded arrives as a space, and is read as the '+' it was.
        JsonNode plain = history("SRV-00001", "?from=2026-01-01T11:00:00+01:00&to=2026-01-01T12:00:00Z");
        JsonNode future = history("SRV-00001", "?to=" + now.plus(Duration.ofDays(1)));

        assertThat(month.path("from").asText()).isEqualTo(now.minus(Duration.ofDays(31)).toString());
        assertThat(offset.path("from").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(plain.path("from").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(offset.path("states")).as("nothing known then").isEmpty();
        assertThat(Instant.parse(future.path("to").asText())).as("clipped to now").isBefore(now.plusSeconds(60));
        assertThat(future.path("from").asText()).as("24 h before the asked end").isEqualTo(now.toString());
        assertThat(intervals(future)).containsExactly("LOCKED/true/GET_ALL");
    }

    @Test
    void aSerialWithNeitherLockNorEventsIsNotFoundAndOneWithEventsOnlyHasAHistory() {
        HttpResponse<String> missing = get("NOPE", "");
        Instant past = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        store(stateChanged("ARCHIVED-1", past, LockState.LOCKED, LockState.UNLOCKED, EventSource.SYNC));

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(harness.read(missing).path("error").asText()).isEqualTo("not_found");
        assertThat(harness.read(missing).path("message").asText()).contains("NOPE");
        assertThat(harness.get("/api/locks/ARCHIVED-1").statusCode()).as("no such lock").isEqualTo(404);
        JsonNode archived = history("ARCHIVED-1", "");
        assertThat(intervals(archived)).containsExactly("UNLOCKED/true/SYNC");
        assertThat(archived.path("states").get(0).path("from").asText()).isEqualTo(past.toString());
    }
}
