package io.tedeesync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * What the dashboard gives the lock page (fleet-design.md, section 5): {@code window.tedeeDashboard} and the
 * {@code #lock/<serial>} route, which calls {@code window.tedeeLockPage.show(serial)} and {@code hide()} when it
 * is there and otherwise shows the fleet with just that lock. A stand-in lock page records the calls.
 */
class DashboardHooksTest {
    private static final String FRONT = "10447001-00001";
    private static final String BACK = "10447001-00002";
    private static final String GARAGE = "10447001-00003";
    private static final Duration SHORT = Duration.ofSeconds(10);
    /** A change in the simulator reaches the page by webhook, or else by the next sync (every 20 s). */
    private static final Duration LIVE = Duration.ofSeconds(30);

    @TempDir
    static Path data;

    private static LiveService service;
    private static Browser browser;

    @BeforeAll
    static void start() {
        service = new LiveService(data).account("home")
                .lock("home", FRONT, "Front door", 6)
                .lock("home", BACK, "Back door", 6)
                .lock("home", GARAGE, "Garage", 2)
                .start(null, true);
        browser = new Browser();
        browser.recordPageErrors();
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
    }

    /** A new document each time: a fragment-only step would keep the last test's stand-in lock page. */
    private static void open(String path) {
        browser.driver.get("about:blank");
        browser.open(service.url(path).toString());
    }

    @Test
    void tedeeDashboardGivesTheTokenedApiTheEventsTheConfigOperationsAndWords() {
        open("/");
        assertThat((Boolean) browser.js("const d = window.tedeeDashboard; return ['api', 'onEvent', 'config', 'operate', 'words', 'timeAgo',"
                + " 'lock', 'fleetHref'].every(name => typeof d[name] === 'function');")).isTrue();
        assertThat(browser.js("return window.tedeeDashboard.lock(arguments[0]).name;", FRONT)).isEqualTo("Front door");
        assertThat(browser.js("return window.tedeeDashboard.fleetHref();")).as("no filters yet").isEqualTo("#locks");
        browser.js("location.hash = '#locks?state=NONE,LOCKED';");
        await().atMost(SHORT).until(() -> "#locks?state=NONE,LOCKED".equals(browser.js("return window.tedeeDashboard.fleetHref();")));
        browser.js("location.hash = '#locks';");
        await().atMost(SHORT).until(() -> "#locks".equals(browser.js("return window.tedeeDashboard.fleetHref();")));
        assertThat(browser.js("return window.tedeeDashboard.words('SEMI_LOCKED');")).isEqualTo("Semi-locked");
        assertThat(browser.js("return window.tedeeDashboard.timeAgo(new Date().toISOString()).textContent;")).isEqualTo("just now");
        assertThat(browser.js("return window.tedeeDashboard.config().operationsAllowed;")).isEqualTo(true);
        assertThat(browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " window.tedeeDashboard.api('/api/config').then(r => r.json().then(body => done(r.status + ' ' + typeof body.lastEventId)));"))
                .isEqualTo("200 number");

        browser.js("window.__heard = []; window.__stop = window.tedeeDashboard.onEvent(event => window.__heard.push(event));");
        service.simulator.setLockState(BACK, 3);
        await().atMost(LIVE).until(() -> Boolean.TRUE.equals(browser.js("return window.__heard.some(e => e.type === 'StateChanged'"
                + " && e.serialNumber === arguments[0] && e.to === 'SEMI_LOCKED');", BACK)));

        assertThat(browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " window.tedeeDashboard.operate(arguments[0], 'lock').then(outcome => done(outcome.status + ' ' + outcome.kind));", BACK))
                .as("as the cards do, resolving with the outcome").isEqualTo("200 ok");
        assertThat(service.simulator.lock(BACK).stateCode()).isEqualTo(6);
        browser.awaitCard(BACK, LIVE, card -> card.state().equals("locked") && card.outcome().contains("Locked."));

        // The function onEvent returned unsubscribes.
        browser.js("window.__stop(); window.__heard = [];");
        service.simulator.setLockState(BACK, 2);
        browser.awaitCard(BACK, LIVE, card -> card.state().equals("unlocked"));
        assertThat(browser.js("return window.__heard.length;")).isEqualTo(0L);
    }

    @Test
    void theLockRouteShowsTheLockPageAndLeavingItComesBackToTheLock() {
        open("/");
        browser.js("window.__lockPage = []; window.tedeeLockPage = { show: serial => window.__lockPage.push('show ' + serial),"
                + " hide: () => window.__lockPage.push('hide') };");

        browser.driver.findElement(By.cssSelector("li.lock[data-serial='" + GARAGE + "'] a.lock-link")).click();

        browser.awaitUrl(SHORT, url -> url.endsWith("#lock/" + GARAGE));
        assertThat(browser.js("return window.__lockPage;")).isEqualTo(List.of("show " + GARAGE));
        assertThat(browser.driver.findElement(By.id("dashboard")).isDisplayed()).as("the fleet hidden").isFalse();

        browser.driver.navigate().back();

        await().atMost(SHORT).until(() -> List.of("show " + GARAGE, "hide").equals(browser.js("return window.__lockPage;")));
        assertThat(browser.driver.findElement(By.id("dashboard")).isDisplayed()).isTrue();
        assertThat(browser.js("return document.activeElement.closest('[data-serial]')?.dataset.serial ?? null;"))
                .as("the focus back on its lock").isEqualTo(GARAGE);
    }

    @Test
    void withoutALockPageTheLockRouteShowsTheFleetWithJustThatLock() {
        // index.html loads lock-page.js; a dashboard served without it (or failing to load it) still routes.
        browser.blockUrls("*/lock-page.js");
        try {
            open("/#lock/" + FRONT);
        } finally {
            browser.blockUrls();
        }
        assertThat(browser.js("return typeof window.tedeeLockPage;")).as("no lock page").isEqualTo("undefined");

        browser.awaitUrl(SHORT, url -> url.endsWith("#locks?q=" + FRONT));
        FleetPage fleet = new FleetPage(browser);
        fleet.awaitShown(1, SHORT);
        assertThat(fleet.drawn()).containsExactly(FRONT);
        assertThat(browser.driver.findElement(By.id("fleet-search")).getDomProperty("value")).isEqualTo(FRONT);
    }
}
