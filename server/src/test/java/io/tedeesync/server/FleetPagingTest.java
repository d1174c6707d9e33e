package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paging {@code GET /api/locks} through 60 simulated locks while they change: every lock exactly once, a
 * removed one left out, cursors that are bad, expired or for other parameters refused; and the ETags of the
 * lock views ({@code 304} until something changes), and {@code nextSyncAllowedAt}.
 *
 * <p>One fleet for the class (its start, 60 locks made fresh, was most of each test's time): each test asserts
 * what holds whatever the tests before it changed (each lock once, the tags that change), and the two that
 * change the fleet for good run last, in this order: the restart (now with an API token, which the one after it
 * sends) and the removal of a lock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetPagingTest {
    private static final int LOCKS = 60;
    private static final int LIMIT = 7;
    private static final int[] STATES = {6, 2, 3, 7}; // locked, unlocked, semi-locked, pulled

    @TempDir
    static Path data;

    private FleetBed bed;
    private final List<String> serials = new ArrayList<>();

    @BeforeAll
    void startSixtyLocks() {
        bed = new FleetBed(data).account("home");
        for (int i = 1; i <= LOCKS; i++) {
            String serial = String.format("HOME-%02d", i);
            serials.add(serial);
            bed.lock("home", serial, "Lock " + (LOCKS + 1 - i), STATES[i % STATES.length], i, 3, true); // battery i %
        }
        bed.start(settings -> settings);
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    /** Walks every page of the query; before each next page, {@code between} changes the fleet (seen so far, page number). */
    private List<JsonNode> walk(String query, BiConsumer<List<String>, Integer> between) {
        List<JsonNode> pages = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        JsonNode page = bed.read(bed.get("/api/locks?" + query + "&limit=" + LIMIT));
        while (true) {
            pages.add(page);
            seen.addAll(FleetBed.serialsOf(page.get("locks")));
            if (page.get("nextCursor").isNull()) {
                return pages;
            }
            between.accept(seen, pages.size());
            HttpResponse<String> next = bed.get("/api/locks?limit=" + LIMIT + "&cursor=" + page.get("nextCursor").asText());
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            page = bed.read(next);
        }
    }

    private static List<String> serialsOf(List<JsonNode> pages) {
        List<String> all = new ArrayList<>();
        pages.forEach(page -> all.addAll(FleetBed.serialsOf(page.get("locks"))));
        return all;
    }

    /** The first lock of the fleet, in the query's current order, that was not seen yet. */
    private String firstUnseen(String query, List<String> seen) {
        return bed.serials(query).stream().filter(serial -> !seen.contains(serial)).findFirst().orElseThrow();
    }

    private void awaitView(String serial, String field, String value) {
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.read(bed.get("/api/locks/" + serial)).path(field).asText().equals(value));
    }

    @Test
    @Order(1)
    void pagingByBatteryWhileBatteriesChangeShowsEachLockOnce() {
        List<Integer> changedOnPage = new ArrayList<>();
        List<JsonNode> pages = walk("sort=battery", (seen, page) -> {
            // A naive offset would now show the last seen lock again, and skip the first unseen one.
            String last = seen.get(seen.size() - 1);
            String nextUp = firstUnseen("sort=battery", seen);
            bed.simulator.setBattery(last, 90 + page); // the highest so far: the very end of a fresh list
            bed.simulator.setBattery(nextUp, 0);
            awaitView(last, "batteryLevel", Integer.toString(90 + page));
            awaitView(nextUp, "batteryLevel", "0");
            List<String> fresh = bed.serials("sort=battery");
            assertThat(fresh.indexOf(nextUp)).as("moved into the part shown already").isLessThan(seen.size());
            assertThat(fresh.indexOf(last)).as("moved into the part not shown yet").isGreaterThanOrEqualTo(seen.size());
            changedOnPage.add(page);
        });

        List<String> shown = serialsOf(pages);
        assertThat(shown).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(serials);
        assertThat(pages).hasSize((LOCKS + LIMIT - 1) / LIMIT);
        assertThat(changedOnPage).hasSize(pages.size() - 1);
        assertThat(pages).allSatisfy(page -> assertThat(page.get("total").asInt()).isEqualTo(LOCKS));
        assertThat(pages.get(1).get("locks").get(0).get("batteryLevel").asInt())
                .as("a later page shows the lock as it is now, not as it was frozen").isZero();
    }

    @Test
    @Order(2)
    void pagingByStateWhileStatesChangeShowsEachLockOnce() {
        List<JsonNode> pages = walk("sort=state", (seen, page) -> {
            String last = seen.get(seen.size() - 1);
            String nextUp = firstUnseen("sort=-state", seen); // an unlocked one, to be locked: to the front
            bed.simulator.setLockState(last, 2);
            bed.simulator.setLockState(nextUp, 6);
            awaitView(last, "state", "UNLOCKED");
            awaitView(nextUp, "state", "LOCKED");
            bed.simulator.setBattery(seen.get(0), page); // and a battery, which this order does not care for
            awaitView(seen.get(0), "batteryLevel", Integer.toString(page));
        });

        assertThat(serialsOf(pages)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(serials);
        assertThat(pages).hasSize((LOCKS + LIMIT - 1) / LIMIT);
    }

    @Test
    @Order(7)
    void aLockRemovedWhilePagingIsLeftOut() {
        List<String> removed = new ArrayList<>();
        List<JsonNode> pages = walk("sort=-battery", (seen, page) -> {
            if (page == 2) {
                String gone = firstUnseen("sort=-battery", seen);
                bed.simulator.removeLock(gone);
                // Past the floor (10 s) and the gap between list refreshes (30 s): the sync of that lock finds it gone, and the
                // list refresh it asks for goes at once.
                bed.clock.advance(Duration.ofSeconds(31));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    bed.post("/api/locks/" + gone + "/sync");
                    return bed.get("/api/locks/" + gone).statusCode() == 404;
                });
                removed.add(gone);
            }
        });

        assertThat(removed).hasSize(1);
        assertThat(serialsOf(pages)).doesNotHaveDuplicates().doesNotContain(removed.get(0))
                .containsExactlyInAnyOrderElementsOf(serials.stream().filter(serial -> !serial.equals(removed.get(0))).toList());
        assertThat(pages.get(2).get("locks")).as("the page that held it is one shorter").hasSize(LIMIT - 1);
        assertThat(pages.get(2).get("nextCursor").isNull()).isFalse();
        assertThat(pages.get(2).get("total").asInt()).as("the number that matched at the first page").isEqualTo(LOCKS);
    }

    @Test
    @Order(5)
    void badCursorsAre400AndOldOnes410() {
        String cursor = bed.read(bed.get("/api/locks?limit=" + LIMIT)).get("nextCursor").asText();
        String otherInstance = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"i\":\"another-instance/1a2b3c\",\"s\":\"AAAAAAAAAAAAAAAA\",\"p\":7}".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> garbage = bed.get("/api/locks?cursor=not-a-cursor");
        HttpResponse<String> cut = bed.get("/api/locks?cursor=" + cursor.substring(0, cursor.length() / 2));
        HttpResponse<String> elsewhere = bed.get("/api/locks?cursor=" + otherInstance);
        HttpResponse<String> otherFilters = bed.get("/api/locks?state=LOCKED&cursor=" + cursor);
        bed.clock.advance(Duration.ofMinutes(9));
        HttpResponse<String> at9Minutes = bed.get("/api/locks?cursor=" + cursor);
        bed.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        HttpResponse<String> idle = bed.get("/api/locks?cursor=" + cursor);

        for (HttpResponse<String> bad : List.of(garbage, cut, otherFilters)) {
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
            assertThat(bed.read(bad).get("error").asText()).isEqualTo("bad_cursor");
        }
        assertThat(at9Minutes.statusCode()).isEqualTo(200);
        for (HttpResponse<String> old : List.of(elsewhere, idle)) {
            assertThat(old.statusCode()).as(old.body()).isEqualTo(410);
            assertThat(bed.read(old).get("error").asText()).isEqualTo("cursor_expired");
            assertThat(bed.read(old).get("message").asText()).contains("start again without cursor");
        }
    }

    @Test
    @Order(3)
    void everyLockViewIs304UntilSomethingChanges() {
        String secondPage = "/api/locks?limit=" + LIMIT + "&cursor=" + bed.read(bed.get("/api/locks?limit=" + LIMIT)).get("nextCursor").asText();
        JsonNode one = bed.read(bed.get("/api/locks?limit=" + LIMIT)).get("locks").get(0);
        JsonNode two = bed.read(bed.get(secondPage)).get("locks").get(0);
        String onPageOne = one.get("serialNumber").asText();
        String onPageTwo = two.get("serialNumber").asText();
        // Whatever the walks before did to these two: the first turns low (or not low), so the summary changes; the second changes.
        boolean oneWasLow = one.get("batteryLevel").asInt() < 20;
        int oneLevel = oneWasLow ? 95 : 5;
        int twoLevel = two.get("batteryLevel").asInt() == 4 ? 3 : 4;
        boolean twoWasLow = two.get("batteryLevel").asInt() < 20;
        List<String> paths = List.of("/api/locks", "/api/locks?state=" + one.get("state").asText() + "," + two.get("state").asText()
                + "&sort=-battery", "/api/locks?limit=" + LIMIT, secondPage, "/api/locks/" + onPageOne, "/api/summary");
        List<String> tags = new ArrayList<>();
        for (String path : paths) {
            HttpResponse<String> first = bed.get(path);
            String tag = first.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag on " + path));
            HttpResponse<String> again = bed.get(path, "If-None-Match", tag);

            assertThat(first.statusCode()).as(path).isEqualTo(200);
            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).as(path).isEmpty();
            assertThat(again.headers().firstValue("ETag")).as(path).contains(tag);
            tags.add(tag);
        }
        assertThat(tags).doesNotHaveDuplicates();
        int lowBefore = bed.read(bed.get("/api/summary")).get("total").get("lowBattery").asInt();

        bed.simulator.setBattery(onPageOne, oneLevel);
        bed.simulator.setBattery(onPageTwo, twoLevel);
        awaitView(onPageOne, "batteryLevel", Integer.toString(oneLevel));
        awaitView(onPageTwo, "batteryLevel", Integer.toString(twoLevel));

        for (int i = 0; i < paths.size(); i++) {
            HttpResponse<String> changed = bed.get(paths.get(i), "If-None-Match", tags.get(i));

            assertThat(changed.statusCode()).as(paths.get(i)).isEqualTo(200);
            assertThat(changed.headers().firstValue("ETag")).as(paths.get(i)).isPresent().get().isNotEqualTo(tags.get(i));
        }
        assertThat(bed.read(bed.get("/api/summary")).get("total").get("lowBattery").asInt()).as("the two changed batteries counted")
                .isEqualTo(lowBefore + (oneWasLow ? -1 : 1) + (twoWasLow ? 0 : 1));
        assertThat(bed.read(bed.get("/api/locks/" + onPageOne)).get("batteryLevel").asInt()).isEqualTo(oneLevel);
    }

    @Test
    @Order(4)
    void nextSyncAllowedAtShowsWhenTheFloorLetsASyncGo() {
        String serial = serials.get(0);
        bed.clock.advance(Duration.ofSeconds(11)); // past the floor of the start's sync
        Instant before = bed.clock.instant();
        JsonNode allowed = bed.read(bed.get("/api/locks/" + serial));
        HttpResponse<String> synced = bed.post("/api/locks/" + serial + "/sync");
        Instant after = bed.clock.instant();
        JsonNode waiting = bed.read(bed.get("/api/locks/" + serial));
        HttpResponse<String> tooSoon = bed.post("/api/locks/" + serial + "/sync");

        assertThat(Instant.parse(allowed.get("nextSyncAllowedAt").asText())).as("allowed now: not after now").isBeforeOrEqualTo(before);
        assertThat(synced.statusCode()).isEqualTo(200);
        Instant next = Instant.parse(waiting.get("nextSyncAllowedAt").asText());
        assertThat(next).isAfterOrEqualTo(before.plusSeconds(10)).isBeforeOrEqualTo(after.plusSeconds(11));
        assertThat(next.getNano()).as("whole seconds").isZero();
        assertThat(tooSoon.statusCode()).isEqualTo(429);
        HttpResponse<String> one = bed.get("/api/locks/" + serial);
        HttpResponse<String> two = bed.get("/api/locks/" + serial);
        assertThat(bed.read(two).get("nextSyncAllowedAt")).isEqualTo(bed.read(one).get("nextSyncAllowedAt"));
        assertThat(two.headers().firstValue("ETag")).isEqualTo(one.headers().firstValue("ETag"));

        bed.clock.advance(Duration.ofSeconds(11));
        Instant later = bed.clock.instant();
        JsonNode allowedAgain = bed.read(bed.get("/api/locks/" + serial));

        Instant floorEnd = Instant.parse(allowedAgain.get("nextSyncAllowedAt").asText());
        assertThat(floorEnd).as("passed now, and where it was").isBeforeOrEqualTo(later).isEqualTo(next);
        assertThat(bed.post("/api/locks/" + serial + "/sync").statusCode()).isEqualTo(200);
        Set<String> fields = new HashSet<>();
        bed.read(bed.get("/api/locks")).forEach(view -> view.fieldNames().forEachRemaining(fields::add));
        assertThat(fields).as("on the one-lock route only").contains("serialNumber").doesNotContain("nextSyncAllowedAt");
    }

    @Test
    @Order(6)
    void aCursorFromBeforeARestartIs410AndAfterARestartWithATokenTheFleetRoutesNeedIt() {
        String cursor = bed.read(bed.get("/api/locks?limit=" + LIMIT)).get("nextCursor").asText();
        bed.stopService();
        bed.token = "fleet-api-token-5c1e";
        bed.start(settings -> settings.withApiToken("fleet-api-token-5c1e", false));

        HttpResponse<String> old = bed.get("/api/locks?cursor=" + cursor);

        assertThat(old.statusCode()).isEqualTo(410);
        assertThat(bed.read(old).get("error").asText()).isEqualTo("cursor_expired");
        String fresh = bed.read(bed.get("/api/locks?limit=" + LIMIT)).get("nextCursor").asText();
        for (String path : List.of("/api/locks?limit=" + LIMIT, "/api/locks?limit=" + LIMIT + "&cursor=" + fresh, "/api/locks?state=LOCKED",
                "/api/summary", "/api/locks/" + serials.get(0), "/api/locks/" + serials.get(0) + "/history")) {
            HttpResponse<String> anonymous = bed.getAnonymously(path);

            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.body()).as(path).doesNotContain(serials.get(0));
            assertThat(bed.get(path).statusCode()).as(path).isEqualTo(200);
        }
    }
}
