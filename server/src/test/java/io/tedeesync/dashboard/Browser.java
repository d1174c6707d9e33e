package io.tedeesync.dashboard;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium driven through {@code /usr/bin/chromedriver} (never Selenium Manager, which
 * would go to the internet), with readers for what the dashboard shows and screenshots under
 * {@code target/screenshots/} for a human to look at. One per test class: a start costs about a second.
 */
final class Browser implements AutoCloseable {
    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** One lock's card as the page shows it. */
    record Card(String serial, String account, String name, String state, String label, List<String> operations,
            boolean buttonsDisabled, String outcome, String text) {
    }

    /**
     * One row of the accounts table: the account's wire values (from the row's data attributes) and the
     * text of each cell by its {@code data-field} (name, credentials, source, health, mode, interval, locks,
     * requests, forecast, last-sync, added, actions).
     */
    record AccountRow(String name, String credentials, String source, String health, Map<String, String> cells, boolean removable) {
        String cell(String field) {
            return cells.getOrDefault(field, "");
        }
    }

    final ChromeDriver driver;

    Browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=" + DESKTOP.width + "," + DESKTOP.height, "--force-prefers-reduced-motion", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    /** Opens the dashboard and waits until it is drawn and following the event stream. */
    Browser open(String url) {
        driver.manage().window().setSize(DESKTOP);
        driver.get(url);
        await().atMost(Duration.ofSeconds(10)).until(() -> "live".equals(connection()));
        return this;
    }

    /**
     * Continues in a new tab and closes the others: a tab of its own has an empty sessionStorage, so no
     * token a test typed before follows the next test (ports, and so origins, may come again).
     */
    void freshTab() {
        String old = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        String fresh = driver.getWindowHandle();
        for (String handle : driver.getWindowHandles()) {
            if (!handle.equals(fresh)) {
                driver.switchTo().window(handle).close();
            }
        }
        driver.switchTo().window(fresh);
        if (old.equals(fresh)) {
            throw new IllegalStateException("no new tab");
        }
    }

    /** Waits until the element is there and displayed. */
    WebElement awaitDisplayed(By by, Duration within) {
        WebElement[] found = new WebElement[1];
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                found[0] = driver.findElement(by);
                return found[0].isDisplayed();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(by + " not displayed within " + within + " on " + driver.getCurrentUrl(), e);
        }
        return found[0];
    }

    /** Waits until the browser is at an address that satisfies the check; the address. */
    String awaitUrl(Duration within, Predicate<String> check) {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> check.test(driver.getCurrentUrl()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not at the expected address within " + within + "; at " + driver.getCurrentUrl(), e);
        }
        return driver.getCurrentUrl();
    }

    /** The rows of the accounts table, top to bottom. */
    @SuppressWarnings("unchecked")
    List<AccountRow> accountRows() {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) js("""
                return [...document.querySelectorAll('#account-rows tr')].map(r => ({
                  name: r.dataset.account, credentials: r.dataset.credentials, source: r.dataset.source, health: r.dataset.health,
                  cells: Object.fromEntries([...r.querySelectorAll('[data-field]')].map(c => [c.dataset.field, c.innerText.trim()])),
                  removable: r.querySelector('button[data-action="remove"]') !== null }));""");
        return rows.stream().map(row -> new AccountRow((String) row.get("name"), (String) row.get("credentials"), (String) row.get("source"),
                (String) row.get("health"), (Map<String, String>) row.get("cells"), (Boolean) row.get("removable"))).toList();
    }

    /** The row of this account, or null. */
    AccountRow accountRow(String name) {
        return accountRows().stream().filter(row -> row.name().equals(name)).findFirst().orElse(null);
    }

    /** Waits until the accounts table satisfies the check; fails with the rows as last seen. */
    List<AccountRow> awaitAccountRows(Duration within, Predicate<List<AccountRow>> check) {
        List<List<AccountRow>> last = new java.util.ArrayList<>(List.of(List.of()));
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                last.set(0, accountRows());
                return check.test(last.get(0));
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("accounts table not as expected within " + within + "; last seen: " + last.get(0), e);
        }
        return last.get(0);
    }

    /** The Remove button of this account's row. */
    WebElement removeButton(String account) {
        return driver.findElement(By.cssSelector("#account-rows tr[data-account='" + account + "'] button[data-action='remove']"));
    }

    /** Every request the page made since it loaded (its resource timing entries), as URLs. */
    @SuppressWarnings("unchecked")
    List<String> requestedUrls() {
        return (List<String>) js("return performance.getEntriesByType('resource').map(r => r.name);");
    }

    /**
     * From now on, every page this tab loads records the Content-Security-Policy violations it meets (an
     * inline style attribute, say, which the dashboard's policy blocks silently); see {@link #cspViolations}.
     */
    void recordCspViolations() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", "window.__cspViolations = [];"
                + " document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"));
    }

    /**
     * From now on, every page this tab loads records its uncaught script errors and unhandled promise
     * rejections; see {@link #pageErrors}.
     */
    void recordPageErrors() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", "window.__pageErrors = [];"
                + " addEventListener('error', e => window.__pageErrors.push(String(e.message) + ' at ' + e.filename + ':' + e.lineno));"
                + " addEventListener('unhandledrejection', e => window.__pageErrors.push('unhandled: ' + String(e.reason)));"));
    }

    /**
     * From now on, requests whose URL matches one of the patterns ({@code *} a wildcard) fail as if the
     * server were not there; no patterns lets everything through again.
     */
    void blockUrls(String... patterns) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of(patterns)));
    }

    /** The script errors this page met since it loaded, or null when {@link #recordPageErrors} was not called. */
    @SuppressWarnings("unchecked")
    List<String> pageErrors() {
        return (List<String>) js("return window.__pageErrors || null;");
    }

    /** The violations this page met since it loaded, or null when {@link #recordCspViolations} was not called. */
    @SuppressWarnings("unchecked")
    List<String> cspViolations() {
        return (List<String>) js("return window.__cspViolations || null;");
    }

    Object js(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /** Marks this page load; {@link #sameLoad()} is false after any reload or navigation. */
    void markLoad() {
        js("window.__testLoadMark = true;");
    }

    boolean sameLoad() {
        return Boolean.TRUE.equals(js("return window.__testLoadMark === true;"));
    }

    /** The connection notice: connecting, live, reconnecting or offline. */
    String connection() {
        return (String) js("const n = document.getElementById('connection'); return n ? n.dataset.connection : null;");
    }

    String connectionText() {
        return driver.findElement(By.id("connection")).getText();
    }

    /** The card of this lock, or null if the page shows none. */
    @SuppressWarnings("unchecked")
    Card card(String serial) {
        Map<String, Object> card = (Map<String, Object>) js("""
                const card = [...document.querySelectorAll('li.lock')].find(c => c.dataset.serial === arguments[0]);
                if (!card) return null;
                const buttons = [...card.querySelectorAll('button.op')];
                const outcome = card.querySelector('.outcome');
                return {
                  serial: card.dataset.serial,
                  account: card.dataset.account,
                  name: card.querySelector('.lock-name').innerText,
                  state: card.dataset.state,
                  label: card.querySelector('.state-label').innerText,
                  operations: buttons.map(b => b.dataset.op),
                  disabled: buttons.length > 0 && buttons.every(b => b.disabled),
                  outcome: outcome ? outcome.innerText : '',
                  text: card.innerText
                };""", serial);
        if (card == null) {
            return null;
        }
        return new Card((String) card.get("serial"), (String) card.get("account"), (String) card.get("name"), (String) card.get("state"),
                (String) card.get("label"), (List<String>) card.get("operations"), (Boolean) card.get("disabled"),
                (String) card.get("outcome"), (String) card.get("text"));
    }

    /** Waits until the card satisfies the check; fails with the card as last seen. */
    Card awaitCard(String serial, Duration within, Predicate<Card> check) {
        Card[] last = new Card[1];
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                last[0] = card(serial);
                return last[0] != null && check.test(last[0]);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("card " + serial + " not as expected within " + within + "; last seen: " + last[0], e);
        }
        return last[0];
    }

    WebElement button(String serial, String operation) {
        return driver.findElement(By.cssSelector("li.lock[data-serial='" + serial + "'] button.op[data-op='" + operation + "']"));
    }

    /** The recent-events panel, top to bottom: {id, type, serial, text}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events() {
        return (List<Map<String, Object>>) js("""
                return [...document.querySelectorAll('#event-list li.event')].map(e => ({
                  id: Number(e.dataset.eventId), type: e.dataset.type, serial: e.dataset.serial || null, text: e.innerText }));""");
    }

    /** Whether the page is wider than the window (a horizontal scrollbar). */
    boolean overflowsHorizontally() {
        return Boolean.TRUE.equals(js("return document.documentElement.scrollWidth > document.documentElement.clientWidth;"));
    }

    /** Saves the whole page (not just the window) as {@code target/screenshots/<name>.png}. */
    @SuppressWarnings("unchecked")
    Path screenshot(String name) {
        Map<String, Object> size = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"), "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves what the window shows (not the whole page) as {@code target/screenshots/<name>.png}: a phone's first screen. */
    Path screenshotWindow(String name) {
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders as if the system asked for this colour scheme ({@code light} or {@code dark}). */
    void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
