package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.client.LockState;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET /api/locks} with its filters and orders, and {@code GET /api/summary}, against the real service
 * and a simulated fleet of two accounts in chosen states: "home" (syncing) and "office" (its API unreachable
 * after a restart, so its locks are the store's, stale). Nothing here changes the fleet: one service for all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetQueryTest {
    private static final int LOCKED = 6;
    private static final int UNLOCKED = 2;
    private static final int SEMI_LOCKED = 3;
    private static final int PULLED = 7;
    private static final int NOT_PAIRED = 0;
    private static final int OPENED = 2;
    private static final int CLOSED = 3;
    /** The service's low battery threshold here (the default, 20, is FleetPagingTest's). */
    private static final int THRESHOLD = 12;
    private static final List<String> ALL = List.of("HOME-1", "HOME-2", "HOME-3", "HOME-4", "HOME-5", "HOME-6", "OFFICE-1", "OFFICE-2",
            "OFFICE-3");

    @TempDir
    static Path data;

    private FleetBed bed;

    @BeforeAll
    void startTheFleet() {
        bed = new FleetBed(data).account("home").account("office")
                .lock("home", "HOME-1", "Front door", LOCKED, 80, CLOSED, true)
                .lock("home", "HOME-2", "Back door", UNLOCKED, 15, OPENED, true)
                .lock("home", "HOME-3", "garage", SEMI_LOCKED, 5, OPENED, true)
                .lock("home", "HOME-4", "Shed", LOCKED, 50, CLOSED, false)
                .lock("home", "HOME-5", "Attic", PULLED, 100, NOT_PAIRED, true)
                .lock("home", "HOME-6", "Cellar", UNLOCKED, 20, CLOSED, true)
                .lock("office", "OFFICE-1", "Lobby", LOCKED, 10, OPENED, true)
                .lock("office", "OFFICE-2", "Front door", UNLOCKED, 60, CLOSED, true)
                .lock("office", "OFFICE-3", "Server room", LOCKED, 70, CLOSED, false);
        bed.start(settings -> settings);
        bed.stopService();
        bed.start(settings -> settings.withLowBatteryBelow(THRESHOLD), List.of("office"));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    @Test
    void theFleetIsAsSetUp() {
        JsonNode views = bed.read(bed.get("/api/locks"));

        assertThat(FleetBed.serialsOf(views)).containsExactlyInAnyOrderElementsOf(ALL);
        for (JsonNode view : views) {
            boolean disconnected = view.get("serialNumber").asText().matches("HOME-4|OFFICE-3");
            assertThat(view.has("state")).as(view.toString()).isEqualTo(!disconnected);
            assertThat(view.has("batteryLevel")).as(view.toString()).isEqualTo(!disconnected);
            assertThat(view.get("stale").asBoolean()).as(view.toString()).isEqualTo(view.get("account").asText().equals("office"));
        }
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("state=UNLOCKED", List.of("HOME-2", "HOME-6", "OFFICE-2")),
                Arguments.of("state=locked,semi_locked", List.of("HOME-1", "HOME-3", "OFFICE-1")),
                Arguments.of("state=LOCKED&state=Pulled", List.of("HOME-1", "HOME-5", "OFFICE-1")),
                Arguments.of("state=UNKNOWN", List.of()),
                Arguments.of("state=NONE", List.of("HOME-4", "OFFICE-3")),
                Arguments.of("state=none,Pulled", List.of("HOME-4", "HOME-5", "OFFICE-3")),
                Arguments.of("state=NONE&account=home", List.of("HOME-4")),
                Arguments.of("_=1733080000&state=PULLED", List.of("HOME-5")),
                Arguments.of("account=office", List.of("OFFICE-1", "OFFICE-2", "OFFICE-3")),
                Arguments.of("account=home,office", ALL),
                Arguments.of("account=HOME", List.of()),
                Arguments.of("account=nobody", List.of()),
                Arguments.of("connected=false", List.of("HOME-4", "OFFICE-3")),
                Arguments.of("connected=TRUE", List.of("HOME-1", "HOME-2", "HOME-3", "HOME-5", "HOME-6", "OFFICE-1", "OFFICE-2")),
                Arguments.of("stale=true", List.of("OFFICE-1", "OFFICE-2", "OFFICE-3")),
                Arguments.of("stale=false", List.of("HOME-1", "HOME-2", "HOME-3", "HOME-4", "HOME-5", "HOME-6")),
                Arguments.of("batteryBelow=20", List.of("HOME-2", "HOME-3", "OFFICE-1")),
                Arguments.of("batteryBelow=21", List.of("HOME-2", "HOME-3", "HOME-6", "OFFICE-1")),
                Arguments.of("batteryBelow=100", List.of("HOME-1", "HOME-2", "HOME-3", "HOME-6", "OFFICE-1", "OFFICE-2")),
                Arguments.of("batteryBelow=1", List.of()),
                Arguments.of("doorState=OPENED", List.of("HOME-2", "HOME-3", "OFFICE-1")),
                Arguments.of("doorState=closed,not_paired", List.of("HOME-1", "HOME-5", "HOME-6", "OFFICE-2")),
                Arguments.of("q=door", List.of("HOME-1", "HOME-2", "OFFICE-2")),
                Arguments.of("q=GARAGE", List.of("HOME-3")),
                Arguments.of("q=office-", List.of("OFFICE-1", "OFFICE-2", "OFFICE-3")),
                Arguments.of("q=%20ome-4%20", List.of("HOME-4")),
                Arguments.of("q=e-1", List.of("HOME-1", "OFFICE-1")),
                Arguments.of("state=UNLOCKED&account=home&batteryBelow=20", List.of("HOME-2")),
                Arguments.of("stale=false&doorState=OPENED&q=door", List.of("HOME-2")),
                Arguments.of("connected=false&stale=true", List.of("OFFICE-3")),
                Arguments.of("state=LOCKED,UNLOCKED&account=office&doorState=CLOSED&connected=true", List.of("OFFICE-2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void eachParameterFiltersWhatItShould(String query, List<String> expected) {
        assertThat(bed.serials(query)).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> orders() {
        return Stream.of(
                Arguments.of("", List.of("HOME-5", "HOME-2", "HOME-6", "HOME-1", "HOME-3", "HOME-4", "OFFICE-2", "OFFICE-1", "OFFICE-3")),
                Arguments.of("sort=name", List.of("HOME-5", "HOME-2", "HOME-6", "HOME-1", "OFFICE-2", "HOME-3", "OFFICE-1", "OFFICE-3",
                        "HOME-4")),
                Arguments.of("sort=-name", List.of("HOME-4", "OFFICE-3", "OFFICE-1", "HOME-3", "HOME-1", "OFFICE-2", "HOME-6", "HOME-2",
                        "HOME-5")),
                Arguments.of("sort=battery", List.of("HOME-3", "OFFICE-1", "HOME-2", "HOME-6", "OFFICE-2", "HOME-1", "HOME-5", "HOME-4",
                        "OFFICE-3")),
                Arguments.of("sort=-battery", List.of("HOME-5", "HOME-1", "OFFICE-2", "HOME-6", "HOME-2", "OFFICE-1", "HOME-3", "HOME-4",
                        "OFFICE-3")),
                Arguments.of("sort=state", List.of("HOME-1", "OFFICE-1", "HOME-5", "HOME-3", "HOME-2", "HOME-6", "OFFICE-2", "HOME-4",
                        "OFFICE-3")),
                Arguments.of("sort=-STATE", List.of("HOME-2", "HOME-6", "OFFICE-2", "HOME-3", "HOME-5", "HOME-1", "OFFICE-1", "HOME-4",
                        "OFFICE-3")),
                Arguments.of("sort=-battery&state=LOCKED", List.of("HOME-1", "OFFICE-1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void eachOrderInBothDirectionsWithMissingValuesLast(String query, List<String> expected) {
        assertThat(bed.serials(query)).containsExactlyElementsOf(expected);
    }

    @Test
    void byLastChangeInBothDirectionsWithoutOneLast() {
        List<JsonNode> views = new ArrayList<>();
        bed.read(bed.get("/api/locks")).forEach(views::add);
        Comparator<JsonNode> serial = Comparator.comparing(view -> view.get("serialNumber").asText());
        Comparator<Instant> ascending = Comparator.naturalOrder();
        for (boolean descending : List.of(false, true)) {
            Comparator<JsonNode> expected = Comparator.comparing(FleetQueryTest::lastChange,
                    Comparator.nullsLast(descending ? ascending.reversed() : ascending)).thenComparing(serial);
            List<String> answered = bed.serials(descending ? "sort=-lastChange" : "sort=lastChange");

            assertThat(answered).as(descending ? "descending" : "ascending")
                    .containsExactlyElementsOf(views.stream().sorted(expected).map(view -> view.get("serialNumber").asText()).toList());
            assertThat(answered.subList(7, 9)).as("the two without a last change, by serial").containsExactly("HOME-4", "OFFICE-3");
        }
        assertThat(views.stream().map(FleetQueryTest::lastChange).filter(java.util.Objects::nonNull).distinct().count())
                .as("a time for each lock that has one").isEqualTo(7);
    }

    private static Instant lastChange(JsonNode view) {
        return view.hasNonNull("lastStateChangedDate") ? Instant.parse(view.get("lastStateChangedDate").asText()) : null;
    }

    @Test
    void withoutLimitOrCursorTheAnswerIsStillThePlainArray() {
        assertThat(bed.read(bed.get("/api/locks")).isArray()).isTrue();
        assertThat(bed.read(bed.get("/api/locks?state=LOCKED&sort=name")).isArray()).isTrue();
        JsonNode page = bed.read(bed.get("/api/locks?state=LOCKED&limit=1000"));
        assertThat(page.isObject()).isTrue();
        assertThat(page.fieldNames()).toIterable().containsExactly("locks", "total", "nextCursor");
        assertThat(page.get("nextCursor").isNull()).as("present, and null on the last page").isTrue();
        assertThat(page.get("total").asInt()).isEqualTo(2);
    }

    @Test
    void pagesTogetherAreTheListInItsOrder() {
        List<String> paged = new ArrayList<>();
        JsonNode page = bed.read(bed.get("/api/locks?limit=4"));
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            assertThat(page.get("total").asInt()).isEqualTo(9);
            paged.addAll(FleetBed.serialsOf(page.get("locks")));
            sizes.add(page.get("locks").size());
            if (page.get("nextCursor").isNull()) {
                break;
            }
            page = bed.read(bed.get("/api/locks?limit=4&cursor=" + page.get("nextCursor").asText()));
        }

        assertThat(sizes).containsExactly(4, 4, 1);
        assertThat(paged).containsExactlyElementsOf(bed.serials(""));
    }

    @Test
    void aCursorAloneGoesOnWithItsFirstPagesFiltersAndOrder() {
        JsonNode first = bed.read(bed.get("/api/locks?q=door&sort=-name&limit=2"));
        String cursor = first.get("nextCursor").asText();

        JsonNode alone = bed.read(bed.get("/api/locks?cursor=" + cursor));
        JsonNode repeated = bed.read(bed.get("/api/locks?sort=-NAME&q=DOOR&limit=5&cursor=" + cursor));
        HttpResponse<String> changed = bed.get("/api/locks?q=door&sort=name&cursor=" + cursor);
        HttpResponse<String> narrowed = bed.get("/api/locks?q=door&cursor=" + cursor);

        assertThat(FleetBed.serialsOf(first.get("locks"))).containsExactly("HOME-1", "OFFICE-2");
        assertThat(first.get("total").asInt()).isEqualTo(3);
        assertThat(FleetBed.serialsOf(alone.get("locks"))).containsExactly("HOME-2");
        assertThat(alone.get("total").asInt()).isEqualTo(3);
        assertThat(alone.get("nextCursor").isNull()).isTrue();
        assertThat(repeated).as("the same parameters, spelled otherwise").isEqualTo(alone);
        for (HttpResponse<String> refused : List.of(changed, narrowed)) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(bed.read(refused).get("error").asText()).isEqualTo("bad_cursor");
            assertThat(bed.read(refused).get("message").asText()).contains("first page");
        }
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("state=OPEN", "state", "OPEN"),
                Arguments.of("state=LOCKED,,UNLOCKED", "state", "'LOCKED??UNLOCKED'"),
                Arguments.of("state=%3Cscript%3E", "state", "?script?"),
                Arguments.of("account=home,", "account", "'home?'"),
                Arguments.of("connected=yes", "connected", "yes"),
                Arguments.of("connected=true&connected=false", "connected", "2 times"),
                Arguments.of("stale=maybe", "stale", "maybe"),
                Arguments.of("batteryBelow=0", "batteryBelow", "'0'"),
                Arguments.of("batteryBelow=101", "batteryBelow", "'101'"),
                Arguments.of("batteryBelow=abc", "batteryBelow", "'abc'"),
                Arguments.of("batteryBelow=1.5", "batteryBelow", "'1.5'"),
                Arguments.of("doorState=AJAR", "doorState", "AJAR"),
                Arguments.of("q=", "q", "empty"),
                Arguments.of("q=" + "x".repeat(101), "q", "1 to 100 characters"),
                Arguments.of("sort=size", "sort", "size"),
                Arguments.of("sort=--name", "sort", "--name"),
                Arguments.of("limit=0", "limit", "'0'"),
                Arguments.of("limit=1001", "limit", "'1001'"),
                Arguments.of("limit=ten", "limit", "ten"),
                Arguments.of("cursor=", "cursor", "empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    void aBadParameterIs400WithTheReason(String query, String parameter, String shown) {
        HttpResponse<String> response = bed.get("/api/locks?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = bed.read(response);
        assertThat(error.get("error").asText()).isEqualTo("bad_parameter");
        assertThat(error.get("message").asText()).startsWith(parameter + " ").contains(shown);
        assertThat(response.body()).doesNotContain("<script>");
    }

    @Test
    void anUnknownParameterIs400ListingTheKnownOnes() {
        for (String query : List.of("foo=1", "Sort=name", "limit=5&serialNumber=HOME-1")) {
            HttpResponse<String> response = bed.get("/api/locks?" + query);

            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(bed.read(response).get("error").asText()).isEqualTo("unknown_parameter");
            assertThat(bed.read(response).get("message").asText()).contains("state, account, connected, stale, batteryBelow, doorState, q,"
                    + " sort, limit, cursor");
        }
    }

    @Test
    void theSummaryCountsWhatTheFiltersList() {
        JsonNode summary = bed.read(bed.get("/api/summary"));

        assertThat(summary.get("lowBatteryBelow").asInt()).isEqualTo(THRESHOLD);
        assertThat(summary.get("accounts").findValuesAsText("account")).containsExactly("home", "office");
        assertAgreesWithTheFilters(summary.get("total"), "", THRESHOLD);
        for (JsonNode account : summary.get("accounts")) {
            assertAgreesWithTheFilters(account, "&account=" + account.get("account").asText(), THRESHOLD);
        }
        JsonNode total = summary.get("total");
        assertThat(total.get("locks").asInt()).isEqualTo(9);
        assertThat(total.get("states").get("LOCKED").asInt()).isEqualTo(2);
        assertThat(total.get("states").get("UNLOCKED").asInt()).isEqualTo(3);
        assertThat(total.get("states").get("UPDATING").asInt()).isZero();
        assertThat(total.get("unknownPosition").asInt()).isEqualTo(2);
        assertThat(total.get("offline").asInt()).isEqualTo(2);
        assertThat(total.get("stale").asInt()).isEqualTo(3);
        assertThat(total.get("lowBattery").asInt()).as("5 and 10 are below 12").isEqualTo(2);
        assertThat(total.get("doorOpen").asInt()).isEqualTo(3);
        assertThat(summary.get("accounts").get(0).get("stale").asInt()).isZero();
        assertThat(summary.get("accounts").get(1).get("stale").asInt()).isEqualTo(3);
    }

    @Test
    void batteryBelowOverridesTheThreshold() {
        JsonNode summary = bed.read(bed.get("/api/summary?batteryBelow=81"));

        assertThat(summary.get("lowBatteryBelow").asInt()).isEqualTo(81);
        assertThat(summary.get("total").get("lowBattery").asInt()).isEqualTo(6);
        assertAgreesWithTheFilters(summary.get("total"), "", 81);
        assertAgreesWithTheFilters(summary.get("accounts").get(0), "&account=home", 81);
    }

    @Test
    void theSummaryRefusesAnyOtherParameter() {
        HttpResponse<String> unknown = bed.get("/api/summary?state=LOCKED");
        HttpResponse<String> bad = bed.get("/api/summary?batteryBelow=0");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(bed.read(unknown).get("error").asText()).isEqualTo("unknown_parameter");
        assertThat(bed.read(unknown).get("message").asText()).contains("batteryBelow");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bed.read(bad).get("error").asText()).isEqualTo("bad_parameter");
        assertThat(bed.read(bad).get("message").asText()).contains("batteryBelow", "'0'");
    }

    @Test
    void aParameterStartingWithAnUnderscoreIsACacheBusterTheRoutesIgnore() {
        assertThat(bed.serials("_=1733080000")).containsExactlyElementsOf(bed.serials(""));
        HttpResponse<String> summary = bed.get("/api/summary?_=1733080000&batteryBelow=81");
        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(bed.read(summary).get("lowBatteryBelow").asInt()).isEqualTo(81);
        JsonNode page = bed.read(bed.get("/api/locks?limit=4&_=1"));
        HttpResponse<String> next = bed.get("/api/locks?cursor=" + page.get("nextCursor").asText() + "&_=2");
        assertThat(next.statusCode()).as("with a cursor too").isEqualTo(200);
        assertThat(bed.read(next).get("total").asInt()).isEqualTo(9);
    }

    @Test
    void theTagIsWeakAndIfNoneMatchComparesWeaklyAcceptingAListOrAStar() {
        for (String path : List.of("/api/locks?state=LOCKED", "/api/summary", "/api/locks/HOME-1")) {
            HttpResponse<String> first = bed.get(path);
            String tag = first.headers().firstValue("ETag").orElseThrow();
            String opaque = tag.substring(2);

            assertThat(tag).as(path).matches("W/\"[0-9a-f]{24}\"");
            for (String ifNoneMatch : List.of(tag, opaque, "\"other\", " + tag, "W/\"other\",W/" + opaque, "*")) {
                HttpResponse<String> again = bed.get(path, "If-None-Match", ifNoneMatch);
                assertThat(again.statusCode()).as(path + " If-None-Match: " + ifNoneMatch).isEqualTo(304);
                assertThat(again.headers().firstValue("ETag")).as(path).hasValue(tag);
            }
            assertThat(bed.get(path, "If-None-Match", "\"other\", W/\"another\"").statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void aGzippedAnswerHasTheSameWeakTagAndEveryTaggedAnswerVariesByAcceptEncoding() {
        String path = "/api/locks"; // some 3 KB: over the 1,500 bytes from which Javalin compresses
        HttpResponse<String> identity = bed.get(path);
        HttpResponse<String> gzip = bed.get(path, "Accept-Encoding", "gzip");
        String tag = identity.headers().firstValue("ETag").orElseThrow();

        assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzip.headers().firstValue("Content-Encoding")).as("compressed, so the two codings share the tag").hasValue("gzip");
        assertThat(gzip.headers().firstValue("ETag")).hasValue(tag);
        HttpResponse<String> identity304 = bed.get(path, "If-None-Match", tag);
        HttpResponse<String> gzip304 = bed.get(path, "If-None-Match", tag, "Accept-Encoding", "gzip");
        for (HttpResponse<String> answer : List.of(identity, gzip, identity304, gzip304)) {
            assertThat(answer.headers().allValues("Vary")).as(answer.statusCode() + " " + answer.headers().map()).contains("Accept-Encoding");
        }
        assertThat(identity304.statusCode()).isEqualTo(304);
        assertThat(gzip304.statusCode()).isEqualTo(304);
    }

    @Test
    void theConfigShowsTheThreshold() {
        assertThat(bed.read(bed.get("/api/config")).get("lowBatteryBelow").asInt()).isEqualTo(THRESHOLD);
    }

    /** Each count of a summary part equals the length of the list its filter gives. */
    private void assertAgreesWithTheFilters(JsonNode counts, String account, int threshold) {
        assertThat(counts.get("locks").asInt()).isEqualTo(bed.serials(account.isEmpty() ? "" : account.substring(1)).size());
        assertThat(counts.get("states").size()).isEqualTo(LockState.values().length);
        for (LockState state : LockState.values()) {
            assertThat(counts.get("states").get(state.name()).asInt()).as(state + account)
                    .isEqualTo(bed.serials("state=" + state + account).size());
        }
        long unknown = 0;
        for (JsonNode view : bed.read(bed.get("/api/locks" + (account.isEmpty() ? "" : "?" + account.substring(1))))) {
            unknown += view.has("state") ? 0 : 1;
        }
        assertThat(counts.get("unknownPosition").asInt()).isEqualTo(bed.serials("state=NONE" + account).size()).isEqualTo(unknown);
        assertThat(counts.get("offline").asInt()).isEqualTo(bed.serials("connected=false" + account).size());
        assertThat(counts.get("stale").asInt()).isEqualTo(bed.serials("stale=true" + account).size());
        assertThat(counts.get("lowBattery").asInt()).isEqualTo(bed.serials("batteryBelow=" + threshold + account).size());
        assertThat(counts.get("doorOpen").asInt()).isEqualTo(bed.serials("doorState=OPENED" + account).size());
    }
}
