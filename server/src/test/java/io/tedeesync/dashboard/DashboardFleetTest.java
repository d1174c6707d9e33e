package io.tedeesync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static io.tedeesync.dashboard.FleetLocks.DEFAULT_ORDER;
import static io.tedeesync.dashboard.FleetLocks.accountName;
import static io.tedeesync.dashboard.FleetLocks.count;
import static io.tedeesync.dashboard.FleetLocks.serial;
import static io.tedeesync.dashboard.FleetLocks.serials;
import static io.tedeesync.dashboard.FleetLocks.sorted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The fleet view with 5,000 simulated locks (10 accounts of 500, in varied states, batteries and doors) in
 * a real browser against {@code serve}: counts, the rows drawn, summary, search, filters, sort, the view
 * choice, live changes without refetching the list, the keyboard and phone width. Expectations come from
 * the service's own GET /api/locks at the time of each check. The first render and filter times are printed
 * as {@code FLEET-FIGURE} lines, never asserted.
 */
class DashboardFleetTest {
    private static final int ACCOUNTS = 10;
    private static final int LOCKS_PER_ACCOUNT = 500;
    private static final int TOTAL = ACCOUNTS * LOCKS_PER_ACCOUNT;
    private static final String ADMIN = "fleet-admin-token-7c20";
    private static final Duration SHORT = Duration.ofSeconds(10);
    /** A change in the simulator reaches the page by webhook, or else by the next sync (every 20 s). */
    private static final Duration LIVE = Duration.ofSeconds(30);

    @TempDir
    static Path data;

    private static LiveService service;
    private static Browser browser;
    private static FleetPage fleet;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        service = new LiveService(data);
        for (int account = 0; account < ACCOUNTS; account++) {
            service.account(accountName(account));
        }
        service.locks(FleetLocks.simulated(ACCOUNTS, LOCKS_PER_ACCOUNT, new Random(13))).accountsApi(ADMIN, false).start(null, true);
        browser = new Browser();
        browser.recordPageErrors();
        browser.recordCspViolations();
        fleet = new FleetPage(browser);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        service.close();
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.pageErrors()).as("script errors on the page").isNullOrEmpty();
        assertThat(browser.cspViolations()).as("Content-Security-Policy violations").isEmpty();
        browser.driver.manage().window().setSize(Browser.DESKTOP);
    }

    @Test
    void theFirstRenderShowsEveryCountButDrawsOnlyTheRowsInSight() throws IOException {
        load("");
        await().atMost(SHORT).until(() -> fleet.timings().get("firstRenderMs") != null);

        assertThat(fleet.countText()).isEqualTo("Showing 5,000 of 5,000 locks");
        assertThat(fleet.view()).as("the table above 24 locks").isEqualTo("table");
        List<String> drawn = fleet.drawn();
        assertThat(drawn).as("rows drawn").isNotEmpty().hasSizeLessThan(200);
        assertThat(fleet.serialNodes()).as("every data-serial node of the page, events included").isLessThan(200);
        assertThat(browser.js("return document.getElementById('fleet-table').getAttribute('aria-rowcount');")).isEqualTo("5001");
        assertThat(browser.js("return document.querySelector('#fleet-rows tr.fleet-row').getAttribute('aria-rowindex');")).isEqualTo("2");
        JsonNode locks = service.locksJson();
        assertThat(drawn).as("the first rows, in the list's order").isEqualTo(serials(sorted(locks, DEFAULT_ORDER)).subList(0, drawn.size()));
        await().atMost(SHORT).untilAsserted(() -> assertThat(fleet.summary()).isEqualTo(expectedSummary(service.locksJson())));
        assertThat(fleet.pressed("total")).isTrue();
        browser.screenshot("fleet-table");
        browser.colorScheme("dark");
        try {
            browser.screenshot("fleet-table-dark");
        } finally {
            browser.colorScheme("light");
        }
        System.out.println("FLEET-FIGURE firstRenderMs=" + fleet.timings().get("firstRenderMs"));
        System.out.println("FLEET-FIGURE listLoadedMs=" + fleet.timings().get("listLoadedMs"));
        // How fast this browser is right now (sorting 200,000 numbers), to read the figures above by.
        System.out.println("FLEET-FIGURE calibrationSortMs=" + browser.js("const numbers = Array.from({length: 200000}, (_, i) => (i * 7919) % 200003);"
                + " const started = performance.now(); numbers.sort((a, b) => a - b); return Math.round(performance.now() - started);"));

        // Scrolling far down draws the rows there, and still only a screenful.
        browser.js("document.getElementById('fleet-table-wrap').scrollTop = 2500 * 45;");
        await().atMost(SHORT).until(() -> !fleet.drawn().contains(drawn.get(0)));
        assertThat(fleet.drawn()).hasSizeLessThan(200);
        int index = Integer.parseInt((String) browser.js("return document.querySelector('#fleet-rows tr.fleet-row').getAttribute('aria-rowindex');"));
        assertThat(index).as("aria-rowindex of the first row drawn").isBetween(2000, 3000);
        assertThat(fleet.drawn().get(0)).isEqualTo(serial(sorted(locks, DEFAULT_ORDER).get(index - 2)));
    }

    @Test
    void eachSummaryCountIsWhatItsFilterShows() throws IOException {
        load("");
        await().atMost(SHORT).untilAsserted(() -> assertThat(fleet.summary()).isEqualTo(expectedSummary(service.locksJson())));
        Map<String, Long> summary = fleet.summary();
        assertThat(summary.keySet()).contains("state:LOCKED", "state:UNLOCKED", "state:SEMI_LOCKED", "unknownPosition", "offline",
                "lowBattery", "doorOpen");
        HttpResponse<String> route = service.get("/api/summary");
        assertThat(route.statusCode()).isEqualTo(200);
        JsonNode answer = json.readTree(route.body());
        JsonNode total = answer.path("total");
        assertThat(answer.path("lowBatteryBelow").asInt()).as("the route's threshold").isEqualTo(lowBatteryBelow());
        assertThat(browser.js("return window.tedeeSync.model.lowBatteryBelow();")).as("the page's threshold").isEqualTo((long) lowBatteryBelow());
        assertThat(summary.get("total")).isEqualTo(total.path("locks").asLong());
        total.path("states").properties().forEach(state -> assertThat(summary.getOrDefault("state:" + state.getKey(), 0L))
                .as(state.getKey()).isEqualTo(state.getValue().asLong()));
        summary.keySet().stream().filter(key -> key.startsWith("state:"))
                .forEach(key -> assertThat(total.path("states").has(key.substring(6))).as(key + " in the route").isTrue());
        for (String key : List.of("unknownPosition", "offline", "stale", "lowBattery", "doorOpen")) {
            assertThat(summary.get(key)).as(key).isEqualTo(total.path(key).asLong());
        }
        // Per account, by the page's own filters (the ones the chips and the address use) over its locks.
        assertThat(answer.path("accounts").size()).isEqualTo(ACCOUNTS);
        for (JsonNode account : answer.path("accounts")) {
            String name = account.path("account").asText();
            Map<String, Long> counts = new java.util.LinkedHashMap<>();
            counts.put("locks", pageCount(name, "{}"));
            account.path("states").properties().forEach(state -> counts.put(state.getKey(),
                    pageCount(name, "{state: ['" + state.getKey() + "']}")));
            counts.put("unknownPosition", pageCount(name, "{state: ['NONE']}"));
            counts.put("offline", pageCount(name, "{connected: false}"));
            counts.put("stale", pageCount(name, "{stale: true}"));
            counts.put("lowBattery", pageCount(name, "{batteryBelow: " + lowBatteryBelow() + "}"));
            counts.put("doorOpen", pageCount(name, "{doorState: ['OPENED']}"));
            assertThat(counts.get("locks")).as(name).isEqualTo(account.path("locks").asLong());
            account.path("states").properties().forEach(state -> assertThat(counts.get(state.getKey()))
                    .as(name + " " + state.getKey()).isEqualTo(state.getValue().asLong()));
            for (String key : List.of("unknownPosition", "offline", "stale", "lowBattery", "doorOpen")) {
                assertThat(counts.get(key)).as(name + " " + key).isEqualTo(account.path(key).asLong());
            }
        }
        assertThat(total.path("unknownPosition").asLong()).as("some locks without a position").isPositive();

        // The API's state=NONE is the page's "position unknown"; old bookmarks' position=unknown say the same.
        browser.js("location.hash = '#locks?state=NONE';");
        fleet.awaitShown((int) total.path("unknownPosition").asLong(), SHORT);
        assertThat(fleet.pressed("unknownPosition")).isTrue();
        browser.js("location.hash = '#locks?position=unknown';");
        browser.awaitUrl(SHORT, url -> url.endsWith("#locks?state=NONE"));
        fleet.awaitShown((int) total.path("unknownPosition").asLong(), SHORT);
        browser.js("location.hash = '#locks?state=LOCKED,NONE';");
        fleet.awaitShown((int) (total.path("unknownPosition").asLong() + total.path("states").path("LOCKED").asLong()), SHORT);
        fleet.chip("total").click();
        fleet.awaitShown(TOTAL, SHORT);

        for (Map.Entry<String, Long> chip : summary.entrySet()) {
            if (chip.getKey().equals("total")) {
                continue;
            }
            fleet.chip(chip.getKey()).click();
            fleet.awaitShown(chip.getValue().intValue(), SHORT);
            assertThat(fleet.pressed(chip.getKey())).as(chip.getKey() + " pressed").isTrue();
            assertThat(fleet.pressed("total")).isFalse();
            assertThat(fleet.drawn()).as(chip.getKey()).hasSizeLessThanOrEqualTo(chip.getValue().intValue()).hasSizeLessThan(200);
            assertThat(fleet.fragment()).as("the filter is in the address").startsWith("#locks?");

            fleet.chip(chip.getKey()).click();
            fleet.awaitShown(TOTAL, SHORT);
            assertThat(fleet.pressed(chip.getKey())).isFalse();
        }
        // Two at once narrow to what both say, and "All locks" clears them.
        fleet.chip("offline").click();
        fleet.chip("lowBattery").click();
        long both = count(service.locksJson(), lock -> !lock.path("isConnected").asBoolean() && lowBattery(lock));
        fleet.awaitShown((int) both, SHORT);
        fleet.chip("total").click();
        fleet.awaitShown(TOTAL, SHORT);
        assertThat(fleet.fragment()).isEqualTo("#locks");
    }

    @Test
    void searchFindsALockByPartOfItsSerialOrNameInAnyCase() throws IOException {
        load("");
        WebElement search = browser.driver.findElement(By.id("fleet-search"));

        search.sendKeys("20510700-0012");
        fleet.awaitShown(10, SHORT);
        assertThat(fleet.drawn()).hasSize(10).allMatch(serial -> serial.startsWith("20510700-0012"));
        assertThat(fleet.fragment()).isEqualTo("#locks?q=20510700-0012");
        Map<String, Object> timings = fleet.timings();
        System.out.println("FLEET-FIGURE searchMs=" + timings.get("lastFilterMs"));
        WebElement announce = browser.driver.findElement(By.id("fleet-announce"));
        assertThat(announce.getDomAttribute("aria-live")).isEqualTo("polite");
        await().atMost(SHORT).until(() -> "Showing 10 of 5,000 locks".equals(browser.js("return arguments[0].textContent;", announce)));

        search.clear();
        search.sendKeys("bLoCk 03 DOOR 4");
        fleet.awaitShown(100, SHORT); // doors 400 to 499
        assertThat(fleet.drawn()).allMatch(serial -> serial.startsWith("20510300-"));

        search.clear();
        search.sendKeys("00499");
        fleet.awaitShown(ACCOUNTS, SHORT);
        assertThat(fleet.drawn()).hasSize(ACCOUNTS).allMatch(serial -> serial.endsWith("-00499"));

        search.clear();
        search.sendKeys("no such lock");
        fleet.awaitShown(0, SHORT);
        assertThat(browser.driver.findElement(By.id("fleet-empty")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.id("fleet-empty-text")).getText()).isEqualTo("No lock matches these filters.");
        browser.driver.findElement(By.id("fleet-empty-clear")).click();
        fleet.awaitShown(TOTAL, SHORT);
    }

    @Test
    void eachFilterNarrowsTheListToTheLocksItDescribes() throws IOException {
        load("");
        List<Object[]> filters = List.of(
                new Object[] {"filter-state", "UNLOCKED", (Predicate<JsonNode>) lock -> lock.path("state").asText().equals("UNLOCKED")},
                new Object[] {"filter-state", "NONE", (Predicate<JsonNode>) lock -> !lock.has("state")},
                new Object[] {"filter-account", "block-03", (Predicate<JsonNode>) lock -> lock.path("account").asText().equals("block-03")},
                new Object[] {"filter-connected", "false", (Predicate<JsonNode>) lock -> !lock.path("isConnected").asBoolean()},
                new Object[] {"filter-stale", "false", (Predicate<JsonNode>) lock -> !lock.path("stale").asBoolean()},
                new Object[] {"filter-battery", "20", (Predicate<JsonNode>) DashboardFleetTest::lowBattery},
                new Object[] {"filter-door", "OPENED", (Predicate<JsonNode>) lock -> lock.path("doorState").asText().equals("OPENED")});
        for (Object[] filter : filters) {
            String select = (String) filter[0];
            @SuppressWarnings("unchecked")
            List<JsonNode> expected = sorted(service.locksJson(), DEFAULT_ORDER).stream().filter((Predicate<JsonNode>) filter[2]).toList();
            fleet.choose(select, (String) filter[1]);
            fleet.awaitShown(expected.size(), SHORT);
            List<String> drawn = fleet.drawn();
            assertThat(drawn).as(select + "=" + filter[1]).hasSize(Math.min(drawn.size(), expected.size()))
                    .isEqualTo(serials(expected).subList(0, drawn.size()));
            if (!select.equals("filter-stale")) {
                assertThat(expected.size()).as("a filter that narrows").isLessThan(TOTAL).isPositive();
            }
            System.out.println("FLEET-FIGURE filterMs." + select + "=" + fleet.timings().get("lastFilterMs"));
            fleet.choose(select, "");
            fleet.awaitShown(TOTAL, SHORT);
        }

        fleet.choose("filter-state", "UNLOCKED");
        fleet.choose("filter-account", "block-03");
        fleet.choose("filter-door", "CLOSED");
        long all = count(service.locksJson(), lock -> lock.path("state").asText().equals("UNLOCKED")
                && lock.path("account").asText().equals("block-03") && lock.path("doorState").asText().equals("CLOSED"));
        fleet.awaitShown((int) all, SHORT);
        assertThat(fleet.fragment()).isEqualTo("#locks?state=UNLOCKED&account=block-03&doorState=CLOSED");
        browser.screenshot("fleet-filtered");

        // The address holds the filters: a reload (or a link) opens the same view.
        browser.driver.navigate().refresh();
        await().atMost(SHORT).until(() -> "live".equals(browser.connection()));
        fleet.awaitShown((int) all, SHORT);
        assertThat(fleet.chosen("filter-state")).isEqualTo("UNLOCKED");
        assertThat(fleet.chosen("filter-account")).isEqualTo("block-03");
        assertThat(fleet.chosen("filter-door")).isEqualTo("CLOSED");
    }

    @Test
    void sortOrdersTheRowsAsTheApiDefinesIt() throws IOException {
        load("");
        for (String sort : List.of("battery", "name", "state", "lastChange")) {
            fleet.choose("fleet-sort", sort);
            fleet.choose("fleet-order", "asc");
            assertSortedBy(FleetLocks.order(sort, false), sort + " ascending");
            fleet.choose("fleet-order", "desc");
            assertThat(fleet.fragment()).isEqualTo("#locks?sort=-" + sort);
            assertSortedBy(FleetLocks.order(sort, true), sort + " descending");
        }
        // The end of a battery sort holds the locks that report none (nulls last, either way).
        fleet.choose("fleet-sort", "battery");
        browser.js("const w = document.getElementById('fleet-table-wrap'); w.scrollTop = w.scrollHeight;");
        JsonNode last = sorted(service.locksJson(), FleetLocks.order("battery", false).reversed()).get(0);
        await().atMost(SHORT).until(() -> fleet.drawn().contains(serial(last)));
    }

    @Test
    void theViewChoiceIsRememberedAcrossReloads() {
        load("");
        try {
            assertThat(fleet.view()).isEqualTo("table");
            browser.driver.findElement(By.id("view-cards")).click();
            await().atMost(SHORT).until(() -> "cards".equals(fleet.view()));
            assertThat(browser.driver.findElements(By.cssSelector("#fleet-cards li.lock"))).as("a first chunk of cards").hasSizeBetween(1, 60);
            assertThat(browser.js("return localStorage.getItem('tedee-sync.view');")).isEqualTo("cards");
            assertThat(browser.driver.findElement(By.id("fleet-table-wrap")).isDisplayed()).isFalse();

            browser.driver.navigate().refresh();
            await().atMost(SHORT).until(() -> "live".equals(browser.connection()) && fleet.shown() == TOTAL);
            assertThat(fleet.view()).as("after a reload").isEqualTo("cards");
            int first = fleet.drawn().size();
            assertThat(first).isBetween(1, 60);
            browser.screenshot("fleet-cards");

            browser.js("window.scrollTo(0, document.documentElement.scrollHeight);");
            await().atMost(SHORT).until(() -> fleet.drawn().size() > first);
            assertThat(fleet.drawn()).as("more cards, still in the list's order")
                    .isEqualTo(serials(sorted(service.locksJson(), DEFAULT_ORDER)).subList(0, fleet.drawn().size()));

            browser.js("window.scrollTo(0, 0);");
            browser.driver.findElement(By.id("view-table")).click();
            await().atMost(SHORT).until(() -> "table".equals(fleet.view()));
            assertThat(browser.js("return localStorage.getItem('tedee-sync.view');")).isEqualTo("table");
            assertThat(fleet.drawn()).hasSizeLessThan(200);
        } finally {
            browser.js("localStorage.removeItem('tedee-sync.view');");
        }
    }

    @Test
    void aLiveChangeMovesALockBetweenFilteredSetsWithoutFetchingTheListAgain() throws IOException {
        JsonNode lock = StreamSupport.stream(service.locksJson().spliterator(), false)
                .filter(candidate -> candidate.path("account").asText().equals("block-04") && candidate.path("isConnected").asBoolean()
                        && candidate.path("state").asText().equals("LOCKED"))
                .findFirst().orElseThrow();
        String serial = serial(lock);
        String group = serial.substring(0, serial.length() - 1); // ten locks: ...0 to ...9
        load("#locks?state=UNLOCKED&q=" + group);
        browser.js("performance.setResourceTimingBufferSize(100000);");
        // The page checks the whole list once a minute; put that check off for this test (a move may take up to 30 s
        // to arrive by sync), so any list request below is one the moves caused.
        browser.js("window.tedeeFleetTimings.nextCheckAt = Infinity;");
        long loads = fleet.fullLoads();
        long listRequests = fleet.listRequests();
        assertThat(listRequests).isEqualTo(loads);
        browser.markLoad();
        int unlocked = (int) count(service.locksJson(), other -> serial(other).startsWith(group) && other.path("state").asText().equals("UNLOCKED"));
        fleet.awaitShown(unlocked, SHORT);
        assertThat(fleet.drawn()).doesNotContain(serial);
        long lockedBefore = fleet.summary().get("state:LOCKED");

        service.simulator.setLockState(serial, 2);

        fleet.awaitShown(unlocked + 1, LIVE);
        assertThat(fleet.drawn()).as("entered the unlocked set").contains(serial);
        await().atMost(SHORT).untilAsserted(() -> assertThat(fleet.summary().get("state:LOCKED")).isEqualTo(lockedBefore - 1));

        browser.js("location.hash = arguments[0];", "#locks?state=LOCKED&q=" + group);
        int locked = (int) count(service.locksJson(), other -> serial(other).startsWith(group) && other.path("state").asText().equals("LOCKED"));
        fleet.awaitShown(locked, SHORT);
        assertThat(fleet.drawn()).doesNotContain(serial);

        service.simulator.setLockState(serial, 6);
        fleet.awaitShown(locked + 1, LIVE);
        assertThat(fleet.drawn()).as("entered the locked set").contains(serial);

        service.simulator.setLockState(serial, 2);
        fleet.awaitShown(locked, LIVE);
        assertThat(fleet.drawn()).as("left the locked set").doesNotContain(serial);
        await().atMost(SHORT).untilAsserted(() -> assertThat(fleet.summary()).isEqualTo(expectedSummary(service.locksJson())));

        assertThat(fleet.fullLoads()).as("the page's own count of list loads").isEqualTo(loads);
        assertThat(fleet.listRequests()).as("GET /api/locks requests, by resource timing").isEqualTo(listRequests);
        assertThat(browser.sameLoad()).as("no reload").isTrue();
        long oneLock = ((Number) browser.js("return performance.getEntriesByType('resource')"
                + ".filter(r => new URL(r.name).pathname.startsWith('/api/locks/')).length;")).longValue();
        System.out.println("FLEET-FIGURE liveChange.singleLockFetches=" + oneLock);
    }

    @Test
    void theKeyboardReachesTheSearchTheFiltersAndARowLinkAndMovesBetweenRows() {
        load("");
        List<String> reached = new ArrayList<>();
        Actions keys = new Actions(browser.driver);
        for (int i = 0; i < 80; i++) {
            keys.sendKeys(Keys.TAB).perform();
            String focused = (String) browser.js("const a = document.activeElement;"
                    + " return a.matches('#fleet-rows a.lock-link') ? 'row-link' : (a.id || a.tagName.toLowerCase());");
            reached.add(focused);
            if (focused.equals("row-link")) {
                break;
            }
        }
        assertThat(reached).contains("fleet-search", "filter-state", "filter-account", "filter-connected", "filter-stale",
                "filter-battery", "filter-door", "fleet-sort", "view-table", "row-link");
        assertThat(reached.indexOf("fleet-search")).isLessThan(reached.indexOf("row-link"));
        assertThat(reached).as("the summary buttons too").contains("button");
        String first = focusedRow();
        assertThat(first).isEqualTo("2");
        assertThat((String) browser.js("return document.activeElement.getAttribute('href');"))
                .isEqualTo("#lock/" + browser.js("return encodeURIComponent(document.activeElement.closest('tr').dataset.serial);"));

        keys.sendKeys(Keys.ARROW_DOWN).perform();
        assertThat(focusedRow()).isEqualTo("3");
        keys.sendKeys(Keys.END).perform();
        assertThat(focusedRow()).as("the last of 5,000, drawn on the way").isEqualTo("5001");
        keys.sendKeys(Keys.ARROW_UP).perform();
        assertThat(focusedRow()).isEqualTo("5000");
        keys.sendKeys(Keys.HOME).perform();
        assertThat(focusedRow()).isEqualTo("2");
        assertThat(fleet.drawn()).hasSizeLessThan(200);
    }

    @Test
    void atPhoneWidthThePageDoesNotScrollSidewaysAndTheTableScrollsInItsOwnRegion() {
        load("");
        browser.driver.manage().window().setSize(Browser.PHONE);
        await().atMost(SHORT).until(() -> ((Number) browser.js("return window.innerWidth;")).intValue() <= Browser.PHONE.width);

        assertThat(browser.overflowsHorizontally()).as("the page itself").isFalse();
        assertThat((Boolean) browser.js("const w = document.getElementById('fleet-table-wrap');"
                + " return w.getAttribute('role') === 'region' && document.getElementById(w.getAttribute('aria-labelledby')).textContent === 'Locks'"
                + " && w.scrollWidth > w.clientWidth;")).as("the table scrolls sideways inside its labelled region").isTrue();
        assertThat(((Number) browser.js("return new Set([...document.querySelectorAll('#fleet-summary li:not([hidden])')]"
                + ".map(li => li.offsetTop)).size;")).intValue()).as("the summary wraps").isGreaterThan(1);
        assertThat(fleet.drawn()).isNotEmpty().hasSizeLessThan(200);
        assertThat(browser.driver.findElement(By.id("fleet-search")).isDisplayed()).as("the search stays in sight").isTrue();
        assertThat(browser.driver.findElement(By.id("filter-state")).isDisplayed()).as("the filters fold away on a phone").isFalse();
        WebElement toggle = browser.driver.findElement(By.id("fleet-filters-toggle"));
        assertThat(toggle.getDomAttribute("aria-expanded")).isEqualTo("false");
        toggle.click();
        assertThat(browser.driver.findElement(By.id("filter-state")).isDisplayed()).isTrue();
        assertThat(toggle.getDomAttribute("aria-expanded")).isEqualTo("true");
        assertThat(browser.overflowsHorizontally()).as("the page itself, filters open").isFalse();
        browser.screenshot("fleet-phone");
        browser.screenshotWindow("fleet-phone-first-screen");
    }

    @Test
    void theAccountsViewShowsEachAccountsHealthModeAndBudget() {
        browser.freshTab();
        browser.recordPageErrors();
        browser.recordCspViolations();
        load("#accounts");
        browser.awaitDisplayed(By.id("admin-token-input"), SHORT).sendKeys(ADMIN, Keys.ENTER);
        List<Browser.AccountRow> rows = browser.awaitAccountRows(Duration.ofSeconds(15), all -> all.size() == ACCOUNTS
                && all.stream().allMatch(row -> "ok".equals(row.health()) && row.cell("last-sync").matches("just now|\\d+ s ago")));
        for (Browser.AccountRow row : rows) {
            assertThat(row.cell("health")).isEqualTo("Healthy");
            assertThat(row.cell("mode")).isIn("Webhooks", "Polling");
            assertThat(row.cell("locks")).isEqualTo(String.valueOf(LOCKS_PER_ACCOUNT));
            assertThat(row.cell("requests")).matches("\\d+ / \\d+");
            assertThat(row.cell("forecast")).matches("≈ \\d+ / h.*");
        }
        assertThat(rows).extracting(Browser.AccountRow::name).containsExactly(
                java.util.stream.IntStream.range(0, ACCOUNTS).mapToObj(FleetLocks::accountName).toArray(String[]::new));
        browser.screenshot("accounts");
    }

    // ---- helpers

    /** Opens the dashboard afresh (a new document, not a fragment change) at this fragment. */
    private static void load(String fragment) {
        browser.driver.get("about:blank");
        browser.open(service.url("/" + fragment).toString());
        if (!fragment.equals("#accounts")) {
            new FleetPage(browser).awaitCount(SHORT, shown -> shown >= 0, "drawn");
        }
    }

    /** How many of this account's locks pass these filters, by the page's own matching over the locks it holds. */
    private static long pageCount(String account, String filters) {
        return ((Number) browser.js("const m = window.tedeeSync.model;"
                + " return m.select({...m.noFilters(), account: [arguments[0]], ...(" + filters + ")}).length;", account)).longValue();
    }

    private String focusedRow() {
        return (String) browser.js("const row = document.activeElement.closest('tr.fleet-row'); return row ? row.getAttribute('aria-rowindex') : null;");
    }

    private void assertSortedBy(Comparator<JsonNode> order, String what) throws IOException {
        List<String> expected = serials(sorted(service.locksJson(), order));
        await().atMost(SHORT).untilAsserted(() -> {
            List<String> drawn = fleet.drawn();
            assertThat(drawn).as(what).isNotEmpty().isEqualTo(expected.subList(0, drawn.size()));
        });
    }

    private static int lowBatteryBelow() {
        try {
            return new ObjectMapper().readTree(service.get("/api/config").body()).path("lowBatteryBelow").asInt(20);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean lowBattery(JsonNode lock) {
        return FleetLocks.lowBattery(lock, lowBatteryBelow());
    }

    private static Map<String, Long> expectedSummary(JsonNode locks) {
        return FleetLocks.expectedSummary(locks, lowBatteryBelow());
    }
}
