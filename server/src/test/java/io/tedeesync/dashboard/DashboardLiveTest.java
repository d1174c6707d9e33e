package io.tedeesync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.dashboard.Browser.Card;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * The dashboard in a real browser against {@code serve} and the simulator, which sends webhooks as
 * Tedee does. Each test uses its own locks, so the order of the tests does not matter.
 */
class DashboardLiveTest {
    // One lock per look, untouched by the tests that change locks.
    private static final String FRONT = "10441001-00001";     // locked, door closed
    private static final String BACK = "10441001-00002";      // unlocked, door open, low battery, charging
    private static final String GARAGE = "10441001-00003";    // semi-locked
    private static final String OFFICE = "10441001-00004";    // locking (moving)
    private static final String SHED = "10441001-00005";      // Tedee's "unknown"
    private static final String CELLAR = "10441001-00006";    // disconnected from the start
    // One lock per test that changes something.
    private static final String STUDIO = "10441001-00007";    // webhook
    private static final String ATTIC = "10441001-00008";     // sync
    private static final String PORCH = "10441001-00009";     // operation
    private static final String BOATHOUSE = "10441001-00010"; // loses its bridge

    @TempDir
    static Path data;

    private static LiveService service;
    private static Browser browser;
    private final ObjectMapper json = new ObjectMapper();
    private String screenshotName;

    @BeforeAll
    static void start() {
        service = new LiveService(data).account("home")
                .lock("home", FRONT, "Front door", 6)
                .lock("home", BACK, "Back door", 2)
                .lock("home", GARAGE, "Garage", 3)
                .lock("home", OFFICE, "Office", 5)
                .lock("home", SHED, "Shed", 9)
                .lock("home", CELLAR, "Cellar", 6)
                .lock("home", STUDIO, "Studio", 6)
                .lock("home", ATTIC, "Attic", 6)
                .lock("home", PORCH, "Porch", 6)
                .lock("home", BOATHOUSE, "Boathouse", 6);
        service.simulator.setDoorState(FRONT, 3);
        service.simulator.setBattery(FRONT, 87);
        service.simulator.setDoorState(BACK, 2);
        service.simulator.setBattery(BACK, 12);
        service.simulator.setCharging(BACK, true);
        service.simulator.disconnect(CELLAR);
        service.start(null, true);
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        service.close();
    }

    @BeforeEach
    void open(TestInfo test) {
        screenshotName = "DashboardLiveTest-" + test.getTestMethod().orElseThrow().getName();
        browser.open(service.url("/").toString());
    }

    @Test
    void everyLockRendersWithItsStateAndOnlyTheOperationsThatFit() {
        Map<String, String> looks = Map.of(FRONT, "locked", BACK, "unlocked", GARAGE, "semi-locked", OFFICE, "moving",
                SHED, "unknown", CELLAR, "disconnected", STUDIO, "locked");
        looks.forEach((serial, look) -> assertThat(browser.card(serial).state()).as(serial).isEqualTo(look));

        assertThat(browser.card(FRONT)).satisfies(card -> {
            assertThat(card.label()).isEqualTo("Locked");
            assertThat(card.operations()).containsExactly("unlock");
            assertThat(card.text()).contains("Front door", FRONT, "Closed", "87 %", "Online");
        });
        assertThat(browser.card(BACK)).satisfies(card -> {
            assertThat(card.label()).isEqualTo("Unlocked");
            assertThat(card.operations()).containsExactly("lock", "pull");
            assertThat(card.text()).contains("Opened", "12 % (low)", "charging");
        });
        assertThat(browser.card(GARAGE)).satisfies(card -> {
            assertThat(card.label()).isEqualTo("Semi-locked");
            assertThat(card.operations()).containsExactly("lock", "unlock");
            assertThat(card.text()).as("no door sensor paired, no door line").doesNotContain("Door");
        });
        assertThat(browser.card(OFFICE)).satisfies(card -> {
            assertThat(card.label()).isEqualTo("Locking…");
            assertThat(card.operations()).isEmpty();
        });
        assertThat(browser.card(SHED)).satisfies(card -> {
            assertThat(card.label()).isEqualTo("Unknown");
            assertThat(card.operations()).isEmpty();
        });
        assertThat(browser.card(CELLAR)).satisfies(card -> {
            assertThat(card.label()).isEqualTo("Disconnected");
            assertThat(card.operations()).isEmpty();
            assertThat(card.text()).contains("Offline").doesNotContain("Online");
        });
        assertThat(browser.card(FRONT).account()).isEqualTo("home");
        assertThat((Boolean) browser.js("return performance.getEntriesByType('resource').every(r => r.name.startsWith(location.origin));"))
                .as("nothing loaded from another origin").isTrue();
        HttpResponse<String> page = service.get("/");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.body()).doesNotContain("http://", "https://");
        browser.screenshot(screenshotName);
        browser.colorScheme("dark");
        try {
            browser.screenshot(screenshotName + "-dark");
        } finally {
            browser.colorScheme("light");
        }
    }

    @Test
    void aWebhookDrivenChangeAppearsWithoutReload() {
        browser.markLoad();
        assertThat(browser.card(STUDIO).state()).isEqualTo("locked");

        service.simulator.setLockState(STUDIO, 2);

        // A generous bound: how fast is a figure for a benchmark, not something a loaded CI machine should fail on.
        Card card = browser.awaitCard(STUDIO, Duration.ofSeconds(10), c -> c.state().equals("unlocked"));
        assertThat(card.label()).isEqualTo("Unlocked");
        assertThat(card.operations()).containsExactly("lock", "pull");
        assertThat(browser.sameLoad()).as("no reload").isTrue();
        browser.screenshot(screenshotName);
    }

    @Test
    void aChangeFoundBySyncAppearsWithoutReload() {
        browser.markLoad();
        service.simulator.webhooksEnabled("home", false);
        try {
            service.simulator.setLockState(ATTIC, 3);
            service.syncNow(ATTIC);

            Card card = browser.awaitCard(ATTIC, Duration.ofSeconds(30), c -> c.state().equals("semi-locked"));
            assertThat(card.label()).isEqualTo("Semi-locked");
            assertThat(browser.sameLoad()).as("no reload").isTrue();
        } finally {
            service.simulator.webhooksEnabled("home", true);
        }
        browser.screenshot(screenshotName);
    }

    @Test
    void anOperationButtonDrivesTheLockToItsFinalStateAndIsDisabledMeanwhile() {
        assertThat(browser.card(PORCH).operations()).containsExactly("unlock");

        browser.button(PORCH, "unlock").sendKeys(Keys.ENTER);

        Card during = browser.card(PORCH);
        assertThat(during.buttonsDisabled()).as("disabled while in flight").isTrue();
        assertThat(during.outcome()).contains("Unlocking…");
        browser.screenshot(screenshotName + "-in-flight");
        Card after = browser.awaitCard(PORCH, Duration.ofSeconds(10), c -> c.state().equals("unlocked") && !c.outcome().contains("…"));
        assertThat(after.outcome()).contains("Unlocked.");
        assertThat(after.operations()).containsExactly("lock", "pull");
        assertThat(after.buttonsDisabled()).isFalse();
        assertThat(service.simulator.lock(PORCH).stateCode()).as("the simulated lock itself").isEqualTo(2);
        assertThat((String) browser.js("return document.activeElement.closest('li.lock')?.dataset.serial ?? null;"))
                .as("keyboard focus stays on the card").isEqualTo(PORCH);
        browser.screenshot(screenshotName);
    }

    @Test
    void aLockThatLosesItsBridgeRendersAsDisconnectedNotAsItsLastPosition() {
        assertThat(browser.card(BOATHOUSE).state()).isEqualTo("locked");

        service.simulator.disconnect(BOATHOUSE);

        Card card = browser.awaitCard(BOATHOUSE, Duration.ofSeconds(5), c -> c.state().equals("disconnected"));
        assertThat(card.label()).isEqualTo("Disconnected");
        assertThat(card.operations()).isEmpty();
        assertThat(card.text()).contains("Offline", "Last known position: Locked").doesNotContain("Online");
        browser.screenshot(screenshotName);
    }

    @Test
    void eachAccountShowsItsModeBudgetLastSyncAndHealth() throws IOException {
        String head = browser.driver.findElement(By.cssSelector("section.account[data-account='home'] .account-head")).getText();
        JsonNode health = json.readTree(service.get("/health").body()).get("accounts").get(0);

        assertThat(head).contains("home", "Healthy", "/ 700").containsPattern("(Polling every 20 s|Webhooks, sync every .+)");
        assertThat(head).containsPattern("(just now|\\d+ s ago)");
        int shown = Integer.parseInt(head.replaceAll("(?s).*?(\\d+) / 700.*", "$1"));
        assertThat(shown).isPositive().isLessThanOrEqualTo(health.get("requestsLastHour").asInt());
        browser.screenshot(screenshotName);
    }

    @Test
    void recentEventsShowTheNewestFiftyNewestFirst() {
        await().atMost(Duration.ofSeconds(5)).until(() -> !browser.events().isEmpty());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<Long> shown = browser.events().stream().map(e -> ((Number) e.get("id")).longValue()).toList();
            assertThat(shown).isEqualTo(newestEventIds(50));
        });
        assertThat(browser.events()).anyMatch(e -> "Added".equals(e.get("type")) && String.valueOf(e.get("text")).contains("Front door"));
        browser.screenshot(screenshotName);
    }

    @Test
    void atPhoneWidthNothingScrollsSidewaysAndTheButtonsAreReachableByKeyboard() {
        browser.driver.manage().window().setSize(Browser.PHONE);
        try {
            assertThat(browser.overflowsHorizontally()).isFalse();
            Actions keys = new Actions(browser.driver);
            boolean reached = false;
            for (int i = 0; i < 40 && !reached; i++) {
                keys.sendKeys(Keys.TAB).perform();
                reached = Boolean.TRUE.equals(browser.js("return document.activeElement.matches('button.op');"));
            }
            assertThat(reached).as("Tab reaches an operation button").isTrue();
            browser.screenshot(screenshotName);
        } finally {
            browser.driver.manage().window().setSize(Browser.DESKTOP);
        }
    }

    private List<Long> newestEventIds(int count) throws IOException {
        List<Long> ids = new ArrayList<>();
        json.readTree(service.get("/api/events?limit=1000").body()).forEach(event -> ids.add(event.get("id").asLong()));
        List<Long> newest = new ArrayList<>(ids.subList(Math.max(0, ids.size() - count), ids.size()));
        Collections.reverse(newest);
        return newest;
    }
}
