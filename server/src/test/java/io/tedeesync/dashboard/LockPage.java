package io.tedeesync.dashboard;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The lock page ({@code #lock/<serial>}) as a test reads it in a {@link Browser}: what its charts drew, from
 * their data attributes (the history route's own values), and the words of its facts and status line.
 */
final class LockPage {

    /** A stretch of one state, as the timeline draws it or as the simulator went through it. */
    record Span(String state, Instant from, Instant to) {
    }

    /** A battery level from a time on. */
    record Reading(Instant at, int level) {
    }

    private final Browser browser;

    LockPage(Browser browser) {
        this.browser = browser;
    }

    /** Opens the page in a fresh tab (recording what the page's policy blocks) and shows the last 24 hours. */
    void open(URI url) {
        browser.freshTab();
        browser.recordCspViolations();
        browser.recordPageErrors();
        browser.open(url.toString());
        browser.awaitDisplayed(By.id("lp-timeline-svg"), Duration.ofSeconds(10));
        if (!"true".equals(rangeButton("24h").getAttribute("aria-pressed"))) { // the range chosen last is remembered
            choose("24h");
        }
    }

    WebElement rangeButton(String range) {
        return browser.driver.findElement(By.cssSelector("#lock-page button[data-range='" + range + "']"));
    }

    /** Clicks the range's button and waits until the page drew it. */
    void choose(String range) {
        int before = draws();
        rangeButton(range).click();
        awaitDrawing(before, range);
    }

    /** One span per timeline rect, in order. */
    @SuppressWarnings("unchecked")
    List<Span> spans() {
        List<Map<String, String>> rects = (List<Map<String, String>>) browser.js(
                "return [...document.querySelectorAll('#lp-timeline-svg rect.seg')].map(r => ({state: r.dataset.state, from: r.dataset.from, to: r.dataset.to}));");
        return rects.stream().map(rect -> new Span(rect.get("state"), Instant.parse(rect.get("from")), Instant.parse(rect.get("to")))).toList();
    }

    @SuppressWarnings("unchecked")
    List<Reading> battery() {
        List<Map<String, Object>> circles = (List<Map<String, Object>>) browser.js(
                "return [...document.querySelectorAll('#lp-battery-svg circle.reading')].map(c => ({at: c.dataset.at, level: Number(c.dataset.level)}));");
        return circles.stream().map(circle -> new Reading(Instant.parse((String) circle.get("at")), ((Number) circle.get("level")).intValue())).toList();
    }

    @SuppressWarnings("unchecked")
    List<Instant> doorOpenings() {
        List<String> times = (List<String>) browser.js("return [...document.querySelectorAll('#lp-door-svg path.door-mark')].map(m => m.dataset.at);");
        return times.stream().map(Instant::parse).toList();
    }

    /** The ids of the events listed, top to bottom. */
    @SuppressWarnings("unchecked")
    List<Long> eventIds() {
        return ((List<Object>) browser.js("return [...document.querySelectorAll('#lp-events li.event')].map(e => Number(e.dataset.eventId));"))
                .stream().map(id -> ((Number) id).longValue()).toList();
    }

    /** A data attribute of the page ({@code range}, {@code historyFrom}, {@code historyTo}, {@code draws}), or null. */
    String attribute(String name) {
        return (String) browser.js("return document.getElementById('lock-page').dataset[arguments[0]] || null;", name);
    }

    Instant from() {
        return Instant.parse(attribute("historyFrom"));
    }

    Instant to() {
        return Instant.parse(attribute("historyTo"));
    }

    /** How many times the page drew its history. */
    int draws() {
        String draws = attribute("draws");
        return draws == null ? 0 : Integer.parseInt(draws);
    }

    void awaitDrawing(int after, String range) {
        awaitShows("the last " + range + " drawn", Duration.ofSeconds(10), () -> draws() > after && range.equals(attribute("range")));
    }

    /** The text of a fact of "Now" by its data-field (state, connection, battery, door, last-change, synced, stale). */
    String fact(String field) {
        return (String) browser.js("const f = document.querySelector('#lp-facts [data-field=\"' + arguments[0] + '\"]'); return f ? f.innerText : null;", field);
    }

    /** The status line: what an operation or a sync did. */
    String status() {
        return browser.driver.findElement(By.id("lp-status")).getText();
    }

    /** Waits until the check holds; fails with what the page showed last (its status, facts and Sync now). */
    void awaitShows(String what, Duration within, Callable<Boolean> check) {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(check);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not " + what + " within " + within + "; the page shows: " + browser.js("""
                    const text = (id) => document.getElementById(id).innerText;
                    return {status: text('lp-status'), facts: text('lp-facts'), problem: text('lp-problem'),
                      sync: document.getElementById('lp-sync').disabled + ' ' + text('lp-sync-wait'),
                      draws: document.getElementById('lock-page').dataset.draws};"""), e);
        }
    }

    /** Presses Tab until the element has the focus. */
    void tabTo(WebElement target) {
        Actions keys = new Actions(browser.driver);
        for (int i = 0; i < 40; i++) {
            keys.sendKeys(Keys.TAB).perform();
            if (target.equals(browser.driver.switchTo().activeElement())) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + target.getText());
    }
}
