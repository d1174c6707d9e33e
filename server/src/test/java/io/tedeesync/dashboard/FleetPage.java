package io.tedeesync.dashboard;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Reads and drives the fleet view (#locks) of a {@link Browser}: the count, the summary bar, the rows or cards drawn. */
final class FleetPage {
    private static final Pattern COUNT = Pattern.compile("Showing ([\\d,]+) of ([\\d,]+) locks?");

    private final Browser browser;

    FleetPage(Browser browser) {
        this.browser = browser;
    }

    /** {@code #fleet-count} as the page says it. */
    String countText() {
        return (String) browser.js("return document.getElementById('fleet-count').textContent;");
    }

    /** The N of "Showing N of M locks", or -1 while it says something else (loading). */
    int shown() {
        return number(1);
    }

    /** The M of "Showing N of M locks". */
    int total() {
        return number(2);
    }

    private int number(int group) {
        Matcher matcher = COUNT.matcher(countText());
        return matcher.matches() ? Integer.parseInt(matcher.group(group).replace(",", "")) : -1;
    }

    /** Waits until the count says N are shown; fails with the count as last seen. */
    void awaitShown(int expected, Duration within) {
        awaitCount(within, shown -> shown == expected, "Showing " + expected);
    }

    void awaitCount(Duration within, Predicate<Integer> check, String what) {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> check.test(shown()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("fleet count not " + what + " within " + within + "; it says: " + countText(), e);
        }
    }

    /** The serial numbers of the rows or cards the page has drawn, top to bottom. */
    @SuppressWarnings("unchecked")
    List<String> drawn() {
        return (List<String>) browser.js("return [...document.querySelectorAll('#fleet-list [data-serial]')].map(n => n.dataset.serial);");
    }

    /** Every node in the document with a data-serial (rows, cards, events). */
    long serialNodes() {
        return ((Number) browser.js("return document.querySelectorAll('[data-serial]').length;")).longValue();
    }

    /** The summary bar's shown buttons: key (total, state:LOCKED, unknownPosition, offline, stale, lowBattery, doorOpen) to count. */
    @SuppressWarnings("unchecked")
    Map<String, Long> summary() {
        Map<String, Object> raw = (Map<String, Object>) browser.js("""
                return Object.fromEntries([...document.querySelectorAll('#fleet-summary li:not([hidden]) button')]
                  .map(b => [b.dataset.summary, Number(b.dataset.count)]));""");
        Map<String, Long> counts = new LinkedHashMap<>();
        raw.forEach((key, value) -> counts.put(key, ((Number) value).longValue()));
        return counts;
    }

    WebElement chip(String key) {
        return browser.driver.findElement(By.cssSelector("#fleet-summary button[data-summary='" + key + "']"));
    }

    boolean pressed(String key) {
        return "true".equals(chip(key).getDomAttribute("aria-pressed"));
    }

    /** Chooses a value of one of the filter selects (filter-state, filter-account, ..., fleet-sort, fleet-order). */
    void choose(String selectId, String value) {
        new Select(browser.driver.findElement(By.id(selectId))).selectByValue(value);
    }

    String chosen(String selectId) {
        return new Select(browser.driver.findElement(By.id(selectId))).getFirstSelectedOption().getDomAttribute("value");
    }

    /** table or cards, by the view buttons. */
    String view() {
        return (String) browser.js("return document.getElementById('view-table').getAttribute('aria-pressed') === 'true' ? 'table'"
                + " : document.getElementById('view-cards').getAttribute('aria-pressed') === 'true' ? 'cards' : null;");
    }

    /** window.tedeeFleetTimings. */
    @SuppressWarnings("unchecked")
    Map<String, Object> timings() {
        return (Map<String, Object>) browser.js("return window.tedeeFleetTimings ? {...window.tedeeFleetTimings} : null;");
    }

    long fullLoads() {
        return ((Number) timings().get("fullLoads")).longValue();
    }

    /** Milliseconds until the page's next periodic check of the whole list. */
    double nextCheckInMs() {
        return ((Number) browser.js("return window.tedeeFleetTimings.nextCheckAt - performance.now();")).doubleValue();
    }

    /** How many GET /api/locks (the whole list, not one lock) the page made since it loaded, by its resource timing. */
    long listRequests() {
        return ((Number) browser.js("return performance.getEntriesByType('resource')"
                + ".filter(r => new URL(r.name).pathname === '/api/locks').length;")).longValue();
    }

    String fragment() {
        return (String) browser.js("return location.hash;");
    }
}
