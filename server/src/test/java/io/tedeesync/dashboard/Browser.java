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
                  account: card.closest('section.account').dataset.account,
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

    /** Renders as if the system asked for this colour scheme ({@code light} or {@code dark}). */
    void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
