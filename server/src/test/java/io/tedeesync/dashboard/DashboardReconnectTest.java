package io.tedeesync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page loses its connection (a proxy in between cuts it), says so, and catches up on what it missed. */
class DashboardReconnectTest {
    private static final String FRONT = "10442001-00001";
    private static final String BACK = "10442001-00002";

    @TempDir
    static Path data;

    private static LiveService service;
    private static CuttableProxy proxy;
    private static Browser browser;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        service = new LiveService(data).account("home")
                .lock("home", FRONT, "Front door", 6)
                .lock("home", BACK, "Back door", 6)
                .start(null, true);
        proxy = new CuttableProxy(service.port());
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        proxy.close();
        service.close();
    }

    @Test
    void aCutStreamShowsReconnectingThenCatchesUpOnTheMissedEventsWithoutReload() throws IOException {
        browser.open("http://127.0.0.1:" + proxy.port() + "/");
        browser.markLoad();

        proxy.cut();
        await().atMost(Duration.ofSeconds(5)).until(() -> "reconnecting".equals(browser.connection()));
        assertThat(service.webhookStateChange(BACK, 2).body()).contains("applied");
        assertThat(service.webhookStateChange(FRONT, 3).body()).contains("applied");
        assertThat(browser.connectionText()).contains("Reconnecting");
        assertThat(browser.card(BACK).state()).as("nothing reaches the page meanwhile").isEqualTo("locked");
        browser.screenshot("DashboardReconnectTest-reconnecting");

        proxy.restore();

        await().atMost(Duration.ofSeconds(15)).until(() -> "live".equals(browser.connection()));
        browser.awaitCard(BACK, Duration.ofSeconds(5), card -> card.state().equals("unlocked"));
        browser.awaitCard(FRONT, Duration.ofSeconds(5), card -> card.state().equals("semi-locked"));
        List<Long> newest = newestEventIds(50);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(browser.events().stream()
                .map(event -> ((Number) event.get("id")).longValue()).toList())
                .as("the missed events, each once, in order").isEqualTo(newest));
        assertThat(browser.events().subList(0, 2)).extracting(event -> event.get("type") + " " + event.get("serial"))
                .containsExactly("StateChanged " + FRONT, "StateChanged " + BACK);
        assertThat(browser.sameLoad()).as("no reload").isTrue();
        browser.screenshot("DashboardReconnectTest-caught-up");
    }

    private List<Long> newestEventIds(int count) throws IOException {
        List<Long> ids = new ArrayList<>();
        json.readTree(service.get("/api/events?limit=1000").body()).forEach(event -> ids.add(event.get("id").asLong()));
        List<Long> newest = new ArrayList<>(ids.subList(Math.max(0, ids.size() - count), ids.size()));
        Collections.reverse(newest);
        return newest;
    }
}
