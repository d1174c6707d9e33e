package io.tedeesync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.LockState;
import io.tedeesync.dashboard.LockPage.Reading;
import io.tedeesync.dashboard.LockPage.Span;
import io.tedeesync.server.ShiftedClock;
import io.tedeesync.simulator.SimStateChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
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
 * The lock page in a real browser against {@code serve} and the simulator, with eight days of history made
 * on a clock that both share: it starts eight days in the past and the test moves it forward change by
 * change, each reaching the service by the simulator's webhook (and its syncs) at its simulated time, until
 * it is the real time again. The page's timeline is then held to {@link
 * io.tedeesync.simulator.TedeeSimulator#stateHistory}, its battery chart and door openings to the changes
 * the test made.
 */
class DashboardLockPageTest {
    private static final String SERIAL = "10441001-00101";
    private static final String OTHER = "10441001-00102";
    private static final Set<String> MOVING = Set.of("LOCKING", "UNLOCKING", "PULLING");
    private static final Duration WITHIN = Duration.ofSeconds(1);

    @TempDir
    static Path data;

    /** The real time shifted: eight days back at first (before anything reads it), then forward to no shift. */
    private static final ShiftedClock clock = new ShiftedClock();
    private static final List<Reading> batteryChanges = new ArrayList<>();
    private static final List<Instant> doorOpenings = new ArrayList<>();
    private static LiveService service;
    private static Browser browser;
    private static LockPage page;

    @BeforeAll
    static void makeEightDaysOfHistory() {
        clock.advance(Duration.ofDays(8).plusHours(1).negated());
        service = new LiveService(data, clock).account("home")
                .lock("home", SERIAL, "Front door", 6)
                .lock("home", OTHER, "Back door", 2);
        service.simulator.setDoorState(SERIAL, 3);
        service.simulator.setBattery(SERIAL, 92);
        service.start(null, true);
        browser = new Browser();
        page = new LockPage(browser);

        Instant end = Instant.now().minus(Duration.ofHours(2));
        Random random = new Random(13);
        Instant at = clock.instant().plus(Duration.ofMinutes(30));
        int battery = 92;
        boolean disconnectedOnce = false;
        for (int step = 0; at.isBefore(end); step++) {
            moveTo(at);
            String state = lock().path("state").asText();
            if (step % 4 == 1 && state.equals("UNLOCKED")) {
                doorOpenings.add(clock.instant());
                service.simulator.setDoorState(SERIAL, 2);
                awaitLock(lock -> lock.path("doorState").asText().equals("OPENED"));
                moveTo(clock.instant().plus(Duration.ofMinutes(7)));
                service.simulator.setDoorState(SERIAL, 3);
                awaitLock(lock -> lock.path("doorState").asText().equals("CLOSED"));
            } else if (step % 4 == 2) {
                battery -= 1 + random.nextInt(3);
                batteryChanges.add(new Reading(clock.instant(), battery));
                service.simulator.setBattery(SERIAL, battery);
                int level = battery;
                awaitLock(lock -> lock.path("batteryLevel").asInt() == level);
            } else {
                int next = state.equals("LOCKED") ? 2 : state.equals("UNLOCKED") && step % 3 == 0 ? 3 : 6;
                service.simulator.setLockState(SERIAL, next);
                awaitLock(lock -> lock.path("stateCode").asInt() == next);
            }
            if (!disconnectedOnce && step > 20) {
                moveTo(clock.instant().plus(Duration.ofMinutes(20)));
                service.simulator.disconnect(SERIAL);
                awaitLock(lock -> !lock.path("isConnected").asBoolean());
                moveTo(clock.instant().plus(Duration.ofMinutes(40)));
                service.simulator.reconnect(SERIAL);
                awaitLock(lock -> lock.path("isConnected").asBoolean() && !lock.path("state").isNull());
                disconnectedOnce = true;
            }
            at = at.plus(Duration.ofMinutes(150 + random.nextInt(240)));
        }
        if (!lock().path("state").asText().equals("LOCKED")) {
            service.simulator.setLockState(SERIAL, 6);
            awaitLock(lock -> lock.path("state").asText().equals("LOCKED"));
        }
        moveTo(Instant.now()); // the real time from here on: the browser asks for "the last 24 h" by its own clock
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.pageErrors()).as("script errors on the lock page").isNullOrEmpty();
    }

    @Test
    void theTimelineBatteryAndDoorShowWhatTheSimulatedLockWentThroughIn24Hours7DaysAnd30Days() {
        page.open(service.url("/#lock/" + SERIAL));
        assertTimelineMatchesTheSimulator("24h");

        // By keyboard: Tab from the title reaches the range buttons.
        WebElement week = page.rangeButton("7d");
        page.tabTo(week);
        int draws = page.draws();
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        page.awaitDrawing(draws, "7d");
        assertThat(week.getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(page.rangeButton("24h").getAttribute("aria-pressed")).isEqualTo("false");
        List<Span> week7 = assertTimelineMatchesTheSimulator("7d");
        System.out.println("FLEET-FIGURE lockPageDraw7d=" + page.attribute("drawMs"));
        assertThat(week7).extracting(Span::state).contains("LOCKED", "UNLOCKED", "SEMI_LOCKED", "DISCONNECTED");

        Instant from = page.from();
        Instant to = page.to();
        List<Reading> drawnBattery = page.battery();
        List<Reading> changed = batteryChanges.stream().filter(change -> change.at().isAfter(from) && !change.at().isAfter(to)).toList();
        assertThat(changed).hasSizeGreaterThan(3);
        assertThat(drawnBattery.get(0).at()).isEqualTo(from);
        assertThat(drawnBattery.get(0).level()).as("the level in effect a week ago").isEqualTo(levelAt(from));
        assertSameTimes(drawnBattery.subList(1, drawnBattery.size()), changed);
        assertThat(drawnBattery.subList(1, drawnBattery.size())).extracting(Reading::level).containsExactlyElementsOf(changed.stream().map(Reading::level).toList());

        List<Instant> opened = doorOpenings.stream().filter(opening -> opening.isAfter(from) && !opening.isAfter(to)).toList();
        assertThat(opened).isNotEmpty();
        assertThat(page.doorOpenings()).hasSameSizeAs(opened).zipSatisfy(opened, (drawn, made) ->
                assertThat(Duration.between(made, drawn).abs()).isLessThanOrEqualTo(WITHIN));
        assertThat(browser.js("return document.getElementById('lp-door-summary').dataset.count;")).isEqualTo(String.valueOf(opened.size()));

        assertThat(page.eventIds()).as("the range's events, newest first").isNotEmpty().isSortedAccordingTo((a, b) -> Long.compare(b, a))
                .isEqualTo(routeEventIds(from, to));
        assertThat((String) browser.js("return document.getElementById('lp-timeline-svg').getAttribute('aria-label');"))
                .as("the chart's text alternative").contains("Locked", "Disconnected", "periods");
        assertThat((Long) browser.js("return document.querySelectorAll('#lp-timeline-table tbody tr').length;"))
                .isEqualTo((Long) browser.js("return document.querySelectorAll('#lp-timeline-svg rect.seg').length;"));
        browser.screenshot("lock-page");

        // The table behind the chart: read by screen readers all along, shown by its toggle.
        WebElement table = browser.driver.findElement(By.id("lp-timeline-table"));
        assertThat(table.getSize().getHeight()).as("visually hidden").isLessThanOrEqualTo(1);
        WebElement toggle = browser.driver.findElement(By.cssSelector("#lp-timeline .lp-toggle"));
        toggle.sendKeys(Keys.ENTER);
        assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(table.getSize().getHeight()).as("shown").isGreaterThan(50);
        assertThat(table.getText()).contains("Disconnected", "Semi-locked");

        // 30 days: nothing is known before the service first saw the lock, eight days ago.
        page.choose("30d");
        List<Span> month = assertTimelineMatchesTheSimulator("30d");
        System.out.println("FLEET-FIGURE lockPageDraw30d=" + page.attribute("drawMs"));
        assertThat(Duration.between(page.from(), month.get(0).from()).toDays()).isEqualTo(21);
        assertThat(browser.cspViolations()).as("nothing the page's policy blocks").isEmpty();
    }

    @Test
    void aChangeByHandAndAnUnlockFromThePageShowLiveInTheStateAndTheTimeline() {
        page.open(service.url("/#lock/" + SERIAL));
        browser.markLoad();
        int draws = page.draws();
        assertThat(page.fact("state")).isEqualTo("Locked");

        service.simulator.setLockState(SERIAL, 3); // a hand on the knob: the page hears of it from the event stream

        page.awaitShows("semi-locked and drawn again", Duration.ofSeconds(10), () -> page.fact("state").equals("Semi-locked") && page.draws() > draws);
        assertThat(assertTimelineMatchesTheSimulator("24h")).last().extracting(Span::state).isEqualTo("SEMI_LOCKED");

        int before = page.draws();
        browser.driver.findElement(By.cssSelector("#lp-actions button[data-op='unlock']")).sendKeys(Keys.ENTER);

        page.awaitShows("the lock unlocked and drawn again", Duration.ofSeconds(20), () -> page.fact("state").equals("Unlocked") && page.draws() > before);
        page.awaitShows("the outcome", Duration.ofSeconds(20), () -> page.status().equals("Unlocked."));
        assertThat(service.simulator.lock(SERIAL).stateCode()).as("the simulated lock itself").isEqualTo(2);
        List<Span> drawn = assertTimelineMatchesTheSimulator("24h");
        assertThat(drawn.get(drawn.size() - 1).state()).isEqualTo("UNLOCKED");
        assertThat(browser.sameLoad()).as("no reload").isTrue();
        assertThat((String) browser.js("return document.activeElement.closest('#lock-page') ? 'on the page' : document.activeElement.tagName;"))
                .as("keyboard focus stays on the lock page").isEqualTo("on the page");
    }

    @Test
    void syncNowCountsDownAfterASyncAndIsEnabledAgainWhenTheFloorAllows() {
        page.open(service.url("/#lock/" + SERIAL));
        WebElement sync = browser.driver.findElement(By.id("lp-sync"));
        long syncsBefore = tedeeSyncsOf(SERIAL);
        // The service may sync the lock by itself between the page's look at the floor and the click (after an
        // operation, say): then the click is too soon, the page counts down Retry-After, and the test clicks again.
        for (int attempt = 1; ; attempt++) {
            page.awaitShows("Sync now enabled", Duration.ofSeconds(15), sync::isEnabled);
            sync.click();
            page.awaitShows("the sync's outcome", Duration.ofSeconds(10), () -> page.status().equals("Synced with Tedee.") || page.status().startsWith("Too soon"));
            if (page.status().equals("Synced with Tedee.")) {
                break;
            }
            assertThat(sync.isEnabled()).as("counting down Retry-After").isFalse();
            assertThat(attempt).as("a sync that was not too soon").isLessThan(3);
        }

        page.awaitShows("a countdown after the sync", Duration.ofSeconds(5), () -> !sync.isEnabled() && Integer.parseInt(sync.getAttribute("data-wait")) > 0);
        assertThat(browser.driver.findElement(By.id("lp-sync-wait")).getText()).matches("Allowed again in \\d+ s");
        assertThat(tedeeSyncsOf(SERIAL)).as("the click reached Tedee").isGreaterThan(syncsBefore);
        browser.screenshot("lock-page-sync-countdown");
        page.awaitShows("Sync now enabled again", Duration.ofSeconds(15), sync::isEnabled);
        assertThat(browser.driver.findElement(By.id("lp-sync-wait")).getText()).isEmpty();
    }

    @Test
    void atPhoneWidthNothingScrollsSidewaysAndTheBackLinkLeadsToTheFleet() {
        page.open(service.url("/#lock/" + SERIAL));
        int draws = page.draws();
        browser.driver.manage().window().setSize(Browser.PHONE);
        try {
            page.awaitShows("drawn again for the narrower window", Duration.ofSeconds(10), () -> page.draws() > draws);
            assertThat(browser.overflowsHorizontally()).isFalse();
            assertThat(((Number) browser.js("return document.getElementById('lp-timeline-svg').getBoundingClientRect().width;")).doubleValue())
                    .as("the timeline fits the phone").isLessThan(390);
            browser.screenshot("lock-page-phone");
        } finally {
            browser.driver.manage().window().setSize(Browser.DESKTOP);
        }
        // "All locks" goes back to the fleet as the user left it: its filters come along.
        browser.js("location.hash = arguments[0];", "#locks?q=" + SERIAL);
        browser.awaitDisplayed(By.cssSelector("#fleet [data-serial='" + SERIAL + "']"), Duration.ofSeconds(10));
        browser.js("location.hash = arguments[0];", "#lock/" + SERIAL);
        browser.awaitDisplayed(By.id("lp-timeline-svg"), Duration.ofSeconds(10));
        browser.driver.findElement(By.cssSelector("#lock-page .lp-back a")).click();
        browser.awaitUrl(Duration.ofSeconds(10), url -> url.endsWith("#locks?q=" + SERIAL));
        browser.awaitDisplayed(By.cssSelector("#fleet [data-serial='" + SERIAL + "']"), Duration.ofSeconds(10));
        assertThat(browser.driver.findElement(By.id("fleet-search")).getDomProperty("value")).isEqualTo(SERIAL);
        assertThat(browser.driver.findElement(By.id("lock-page")).isDisplayed()).isFalse();
    }

    // ---- the page

    /** The drawn timeline (intervals while moving left out, neighbours of one state joined) equals the simulator's. */
    private List<Span> assertTimelineMatchesTheSimulator(String range) {
        List<Span>[] last = new List[2];
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(page.attribute("range")).isEqualTo(range);
                Instant from = page.from();
                Instant to = page.to();
                last[0] = settled(page.spans());
                last[1] = settled(simulatedSpans(from, to));
                assertThat(last[0]).extracting(Span::state).containsExactlyElementsOf(last[1].stream().map(Span::state).toList());
                assertThat(last[0]).zipSatisfy(last[1], (drawn, simulated) -> {
                    assertThat(Duration.between(simulated.from(), drawn.from()).abs()).as("start of %s", drawn).isLessThanOrEqualTo(WITHIN);
                });
                assertThat(Duration.between(to, last[0].get(last[0].size() - 1).to()).abs()).isLessThanOrEqualTo(WITHIN);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("timeline " + range + " as drawn: " + last[0] + "\nas simulated: " + last[1], e);
        }
        return last[0];
    }

    /** The simulator's changes as spans within [from, to]: DISCONNECTED while offline, else the state's name. */
    private static List<Span> simulatedSpans(Instant from, Instant to) {
        List<SimStateChange> changes = service.simulator.stateHistory(SERIAL);
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            SimStateChange change = changes.get(i);
            Instant end = i + 1 < changes.size() ? changes.get(i + 1).at() : to;
            Instant start = change.at().isBefore(from) ? from : change.at();
            Instant stop = end.isAfter(to) ? to : end;
            if (stop.isAfter(start)) {
                spans.add(new Span(change.connected() ? LockState.fromCode(change.stateCode()).name() : "DISCONNECTED", start, stop));
            }
        }
        return spans;
    }

    /** Without the seconds of motion, and a state that follows itself joined into one. */
    private static List<Span> settled(List<Span> spans) {
        List<Span> joined = new ArrayList<>();
        for (Span span : spans) {
            if (MOVING.contains(span.state())) {
                continue;
            }
            Span previous = joined.isEmpty() ? null : joined.get(joined.size() - 1);
            if (previous != null && previous.state().equals(span.state())) {
                joined.set(joined.size() - 1, new Span(span.state(), previous.from(), span.to()));
            } else {
                joined.add(span);
            }
        }
        return joined;
    }

    private static int levelAt(Instant at) {
        int level = 92;
        for (Reading change : batteryChanges) {
            if (!change.at().isAfter(at)) {
                level = change.level();
            }
        }
        return level;
    }

    private static void assertSameTimes(List<Reading> drawn, List<Reading> made) {
        assertThat(drawn).hasSameSizeAs(made).zipSatisfy(made, (shown, change) ->
                assertThat(Duration.between(change.at(), shown.at()).abs()).as("battery %s", change).isLessThanOrEqualTo(WITHIN));
    }

    /** The ids of the history route's events of this range, newest first (as the page lists them). */
    private static List<Long> routeEventIds(Instant from, Instant to) {
        try {
            JsonNode events = new ObjectMapper().readTree(service.get("/api/locks/" + SERIAL + "/history?from=" + from + "&to=" + to).body()).path("events");
            List<Long> ids = new ArrayList<>();
            events.forEach(event -> ids.add(0, event.path("id").asLong()));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long tedeeSyncsOf(String serial) {
        long id = service.simulator.lock(serial).id();
        // one lock's sync, a batch that names it, or one of every lock
        return service.simulator.requests().stream().filter(request -> request.path().endsWith("/sync")
                && (request.path().contains("/" + id + "/") || request.query().isEmpty() || request.query().contains(Long.toString(id)))).count();
    }

    // ---- making the history

    /** Moves the shared clock forward to {@code at} (never back), and lets the simulator catch up. */
    private static void moveTo(Instant at) {
        Duration step = Duration.between(clock.instant(), at);
        if (!step.isNegative()) {
            clock.advance(step);
        }
        service.simulator.advance();
    }

    private static JsonNode lock() {
        try {
            return new ObjectMapper().readTree(service.get("/api/locks/" + SERIAL).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitLock(Predicate<JsonNode> check) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> check.test(lock()));
    }
}
