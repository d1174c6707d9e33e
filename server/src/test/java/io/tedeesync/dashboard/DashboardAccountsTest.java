package io.tedeesync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.dashboard.Browser.AccountRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The accounts view in a real browser: the admin token, the list, "Connect an account" through the
 * simulator's "Sign in with Tedee" and back, and "Remove". Every test has its own service and its own tab
 * (so its own sessionStorage).
 */
class DashboardAccountsTest {
    private static final String ADMIN = "dashboard-admin-token-51d2";
    private static final Duration SHORT = Duration.ofSeconds(5);
    private static final Duration SYNC = Duration.ofSeconds(15);

    private static Browser browser;
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path data;

    @BeforeAll
    static void start() {
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    @BeforeEach
    void freshTab() {
        browser.freshTab();
        browser.driver.manage().window().setSize(Browser.DESKTOP);
    }

    @Test
    void theAccountsTabIsHiddenWithoutTheAccountsApi() {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10446001-00001", "Front door", 6)
                .start(null, false)) {
            browser.open(service.url("/#accounts").toString());

            assertThat(browser.driver.findElement(By.id("views")).isDisplayed()).as("no view tabs").isFalse();
            assertThat(browser.driver.findElement(By.id("tab-accounts")).isDisplayed()).isFalse();
            assertThat(browser.driver.findElement(By.id("accounts")).isDisplayed()).as("#accounts opens nothing").isFalse();
            assertThat(browser.driver.findElement(By.id("dashboard")).isDisplayed()).as("the locks instead").isTrue();
            assertThat(browser.card("10446001-00001")).isNotNull();
            assertThat(browser.requestedUrls()).as("the page never asks for accounts").noneMatch(url -> url.contains("/api/accounts"));
        }
    }

    @Test
    void theApiTokenTypedAsTheAdminTokenIsToldApart() throws IOException {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10446002-00001", "Front door", 6)
                .accountsApi(ADMIN, false)
                .start("read-token-for-this-test", false)) {
            browser.driver.get(service.url("/").toString());
            WebElement apiToken = browser.awaitDisplayed(By.id("token-input"), SHORT);
            apiToken.sendKeys("read-token-for-this-test", Keys.ENTER);
            browser.awaitDisplayed(By.id("tab-accounts"), SHORT).sendKeys(Keys.ENTER);

            browser.awaitDisplayed(By.id("admin-token-input"), SHORT).sendKeys("read-token-for-this-test", Keys.ENTER);

            WebElement error = browser.awaitDisplayed(By.id("admin-token-error"), SHORT);
            assertThat(error.getText()).contains("That is the API token");
            assertThat(browser.js("return sessionStorage.getItem('tedee-sync.admin-token');")).isNull();
            assertThat(browser.driver.findElement(By.id("accounts-body")).isDisplayed()).isFalse();
        }
    }

    @Test
    void theAccountsViewAsksForTheAdminTokenAndListsTheAccounts() throws IOException {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10446002-00001", "Front door", 6)
                .lock("home", "10446002-00002", "Back door", 2)
                .accountsApi(ADMIN, false)
                .start(null, false)) {
            browser.recordCspViolations();
            browser.open(service.url("/").toString());
            assertThat(browser.driver.findElement(By.id("dashboard")).isDisplayed()).as("the locks are the default view").isTrue();
            assertThat(browser.driver.findElement(By.id("tab-locks")).getDomAttribute("aria-current")).isEqualTo("page");
            WebElement tab = browser.driver.findElement(By.id("tab-accounts"));
            assertThat(tab.isDisplayed()).isTrue();
            assertThat(tab.getDomAttribute("aria-current")).isNull();

            tab.sendKeys(Keys.ENTER);

            WebElement input = browser.awaitDisplayed(By.id("admin-token-input"), SHORT);
            assertThat(browser.driver.getCurrentUrl()).endsWith("/#accounts");
            assertThat(tab.getDomAttribute("aria-current")).isEqualTo("page");
            assertThat(browser.driver.findElement(By.id("dashboard")).isDisplayed()).isFalse();
            assertThat((Boolean) browser.js("return document.activeElement.id === 'admin-token-input';")).as("focused for typing").isTrue();
            assertThat(browser.driver.findElement(By.id("accounts-body")).isDisplayed()).as("nothing listed before the token").isFalse();

            input.sendKeys("not-the-admin-token", Keys.ENTER);
            WebElement error = browser.awaitDisplayed(By.id("admin-token-error"), SHORT);
            assertThat(error.getText()).contains("refused");
            assertThat(browser.js("return sessionStorage.getItem('tedee-sync.admin-token');")).isNull();
            browser.screenshot("DashboardAccountsTest-admin-token-refused");

            browser.driver.findElement(By.id("admin-token-input")).sendKeys(ADMIN, Keys.ENTER);
            List<AccountRow> rows = browser.awaitAccountRows(SYNC, r -> r.size() == 1 && "ok".equals(r.get(0).health())
                    && r.get(0).cell("last-sync").matches("just now|\\d+ s ago"));
            AccountRow home = rows.get(0);
            JsonNode api = read(service.asAdmin("GET", "/api/accounts/home", null).body());
            assertThat(home.name()).isEqualTo("home");
            assertThat(home.source()).isEqualTo("declared");
            assertThat(home.cell("source")).isEqualTo("declared (flags or accounts file)");
            assertThat(home.credentials()).isEqualTo("personalKey");
            assertThat(home.cell("credentials")).isEqualTo("Personal key");
            assertThat(home.cell("health")).isEqualTo("Healthy");
            assertThat(home.cell("mode")).isIn("Webhooks", "Polling"); // the webhook registration may turn it meanwhile
            assertThat(home.cell("interval")).startsWith("every 20 s");
            assertThat(home.cell("locks")).isEqualTo("2");
            assertThat(home.cell("requests")).matches("\\d+ / " + api.path("hourlyLimit").asInt());
            int shown = Integer.parseInt(home.cell("requests").replaceAll(" /.*", ""));
            assertThat(shown).isPositive().isLessThanOrEqualTo(read(service.asAdmin("GET", "/api/accounts/home", null).body())
                    .path("requestsLastHour").asInt());
            assertThat(home.cell("forecast")).matches("≈ \\d+ / h.*");
            assertThat(home.cell("added")).isNotBlank().isNotEqualTo("?");
            assertThat(home.removable()).as("a declared account is changed in its file, not here").isFalse();
            assertThat(browser.driver.findElements(By.cssSelector("#account-table thead th[scope='col']"))).hasSize(12);
            assertThat(browser.driver.findElement(By.id("connect-off")).getText()).contains("--oauth-client-id");
            assertThat(browser.driver.findElement(By.id("connect-open")).isDisplayed()).as("no sign-in to start").isFalse();
            assertThat(browser.js("return sessionStorage.getItem('tedee-sync.admin-token');")).isEqualTo(ADMIN);
            assertThat(browser.requestedUrls()).as("the token never in a URL").noneMatch(url -> url.contains(ADMIN));
            assertThat(browser.cspViolations()).as("nothing the page's policy blocks").isEmpty();
            browser.screenshot("DashboardAccountsTest-declared-account");
            browser.colorScheme("dark");
            try {
                browser.screenshot("DashboardAccountsTest-declared-account-dark");
            } finally {
                browser.colorScheme("light");
            }

            browser.driver.navigate().refresh();
            browser.awaitAccountRows(SHORT, r -> r.size() == 1);
            assertThat(browser.driver.findElement(By.id("admin-token-form")).isDisplayed()).as("not asked again in this tab").isFalse();

            browser.driver.findElement(By.id("forget-admin-token")).click();
            browser.awaitDisplayed(By.id("admin-token-input"), SHORT);
            assertThat(browser.js("return sessionStorage.getItem('tedee-sync.admin-token');")).isNull();
            assertThat(browser.driver.findElement(By.id("accounts-body")).isDisplayed()).isFalse();
        }
    }

    @Test
    void theListFollowsAnAccountAddedElsewhereWithoutAReload() {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10446003-00001", "Front door", 6)
                .tedeeAccount("cabin")
                .lock("cabin", "10446003-00101", "Cabin door", 6)
                .accountsApi(ADMIN, false)
                .start(null, false)) {
            openAccounts(service);
            browser.awaitAccountRows(SHORT, rows -> rows.size() == 1);
            browser.markLoad();

            assertThat(service.addAccount("cabin").statusCode()).isEqualTo(201);

            // The stream's events about the new account's locks, or else the 10 s refresh, bring it in.
            AccountRow cabin = browser.awaitAccountRows(Duration.ofSeconds(25), rows -> rows.size() == 2).get(0);
            assertThat(cabin.name()).as("sorted by name").isEqualTo("cabin");
            assertThat(cabin.source()).isEqualTo("api");
            assertThat(cabin.cell("source")).startsWith("API");
            assertThat(cabin.removable()).isTrue();
            assertThat(browser.sameLoad()).as("no reload").isTrue();
        }
    }

    @Test
    void signingInWithTedeeConnectsAnAccountEndToEnd() throws IOException {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10446004-00001", "Front door", 6)
                .tedeeAccount("guest-house")
                .lock("guest-house", "10446004-00101", "Guest entrance", 6)
                .lock("guest-house", "10446004-00102", "Guest garden gate", 2)
                .lock("guest-house", "10446004-00103", "Guest cellar", 6)
                .accountsApi(ADMIN, true)
                .start(null, false)) {
            openAccounts(service);
            browser.awaitAccountRows(SHORT, rows -> rows.size() == 1);
            assertThat(browser.driver.findElement(By.id("connect-off")).isDisplayed()).isFalse();
            browser.driver.findElement(By.id("connect-open")).click();
            WebElement name = browser.awaitDisplayed(By.id("connect-name"), SHORT);
            assertThat((Boolean) browser.js("return document.activeElement.id === 'connect-name';")).isTrue();
            name.sendKeys("guest-house");
            browser.driver.findElement(By.id("connect-submit")).click();

            String signInPage = browser.awaitUrl(SHORT, url -> url.startsWith(service.simulator.authorizeUrl().toString()));
            assertThat(signInPage).as("the admin token stays in the dashboard").doesNotContain(ADMIN);
            browser.screenshot("DashboardAccountsTest-simulator-sign-in");
            browser.awaitDisplayed(By.id("sign-in-guest-house"), SHORT).click();

            browser.awaitUrl(SYNC, url -> url.startsWith(service.url("/oauth/callback").toString()));
            WebElement result = browser.awaitDisplayed(By.id("sign-in-result"), SYNC);
            assertThat(result.getText()).isEqualTo("Account guest-house is connected");
            assertThat(browser.driver.findElement(By.id("sign-in-detail")).getText()).startsWith("3 locks found");
            browser.screenshot("DashboardAccountsTest-sign-in-callback");

            browser.driver.findElement(By.id("back")).click();

            browser.awaitUrl(SHORT, url -> url.equals(service.url("/#accounts").toString()));
            AccountRow guest = browser.awaitAccountRows(SYNC, rows -> rows.stream()
                    .anyMatch(row -> row.name().equals("guest-house") && row.cell("locks").equals("3"))).stream()
                    .filter(row -> row.name().equals("guest-house")).findFirst().orElseThrow();
            assertThat(browser.driver.findElement(By.id("admin-token-form")).isDisplayed()).as("the token survived the round trip").isFalse();
            assertThat(guest.credentials()).isEqualTo("oauth");
            assertThat(guest.cell("credentials")).contains("OAuth");
            assertThat(guest.source()).isEqualTo("api");
            assertThat(guest.removable()).isTrue();
            assertThat(browser.accountRow("home")).isNotNull();
            browser.screenshot("DashboardAccountsTest-accounts-after-sign-in");

            browser.driver.findElement(By.id("tab-locks")).click();

            for (String serial : List.of("10446004-00101", "10446004-00102", "10446004-00103")) {
                assertThat(browser.awaitCard(serial, SYNC, card -> true).account()).isEqualTo("guest-house");
            }
            assertThat(browser.awaitCard("10446004-00102", SHORT, card -> true).state()).isEqualTo("unlocked");
            assertThat(browser.driver.findElement(By.id("tab-locks")).getDomAttribute("aria-current")).isEqualTo("page");
            assertThat(service.get("/api/locks").body()).contains("10446004-00101", "10446004-00102", "10446004-00103");
            assertThat(read(service.asAdmin("GET", "/api/accounts/guest-house", null).body()).path("credentials").asText()).isEqualTo("oauth");
            browser.screenshot("DashboardAccountsTest-locks-after-sign-in");
        }
    }

    @Test
    void cancellingTheSignInConnectsNothing() {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10446005-00001", "Front door", 6)
                .tedeeAccount("guest-house")
                .lock("guest-house", "10446005-00101", "Guest entrance", 6)
                .accountsApi(ADMIN, true)
                .start(null, false)) {
            openAccounts(service);
            browser.awaitAccountRows(SHORT, rows -> rows.size() == 1);
            browser.driver.findElement(By.id("connect-open")).click();
            browser.awaitDisplayed(By.id("connect-name"), SHORT).sendKeys("guest-house", Keys.ENTER);

            browser.awaitUrl(SHORT, url -> url.startsWith(service.simulator.authorizeUrl().toString()));
            browser.awaitDisplayed(By.id("deny"), SHORT).click();

            WebElement result = browser.awaitDisplayed(By.id("sign-in-result"), SYNC);
            assertThat(result.getText()).isEqualTo("Sign-in cancelled");
            browser.screenshot("DashboardAccountsTest-sign-in-cancelled");
            browser.driver.findElement(By.id("back")).click();

            browser.awaitUrl(SHORT, url -> url.endsWith("/#accounts"));
            List<AccountRow> rows = browser.awaitAccountRows(SHORT, r -> r.stream().anyMatch(row -> row.name().equals("home")));
            assertThat(rows).extracting(AccountRow::name).containsExactly("home");
            assertThat(service.asAdmin("GET", "/api/accounts/guest-house", null).statusCode()).isEqualTo(404);
            assertThat(service.get("/api/locks").body()).doesNotContain("10446005-00101");
        }
    }

    @Test
    void removingAnAccountTakesItOffTheListAndItsLocksOffTheDashboard() {
        String cabinDoor = "10446006-00101";
        String barnDoor = "10446006-00201";
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10446006-00001", "Front door", 6)
                .tedeeAccount("cabin")
                .lock("cabin", cabinDoor, "Cabin door", 6)
                .lock("cabin", "10446006-00102", "Cabin shed", 6)
                .tedeeAccount("barn")
                .lock("barn", barnDoor, "Barn door", 6)
                .accountsApi(ADMIN, false)
                .start(null, false)) {
            assertThat(service.addAccount("cabin").statusCode()).isEqualTo(201);
            assertThat(service.addAccount("barn").statusCode()).isEqualTo(201);
            await().atMost(SYNC).until(() -> !events(service, cabinDoor).isEmpty() && !events(service, barnDoor).isEmpty());
            browser.open(service.url("/").toString());
            browser.awaitCard(cabinDoor, SYNC, card -> card.account().equals("cabin"));
            browser.awaitCard(barnDoor, SYNC, card -> card.account().equals("barn"));
            browser.driver.findElement(By.id("tab-accounts")).click();
            browser.awaitDisplayed(By.id("admin-token-input"), SHORT).sendKeys(ADMIN, Keys.ENTER);
            browser.awaitAccountRows(SHORT, rows -> rows.size() == 3);
            WebElement dialog = browser.driver.findElement(By.id("remove-dialog"));

            // Cancel changes nothing.
            browser.removeButton("barn").click();
            assertThat(dialog.isDisplayed()).isTrue();
            browser.driver.findElement(By.id("remove-cancel")).click();
            assertThat(dialog.isDisplayed()).isFalse();
            assertThat(browser.accountRow("barn")).isNotNull();
            assertThat(service.asAdmin("GET", "/api/accounts/barn", null).statusCode()).isEqualTo(200);
            assertThat((Boolean) browser.js("return document.activeElement.dataset.action === 'remove'"
                    + " && document.activeElement.closest('tr').dataset.account === 'barn';")).as("focus back on its button").isTrue();

            // Without purge: the locks leave the dashboard, the events stay in the store.
            browser.removeButton("cabin").click();
            assertThat(dialog.isDisplayed()).isTrue();
            assertThat(browser.driver.findElement(By.id("remove-name")).getText()).isEqualTo("cabin");
            assertThat(browser.driver.findElement(By.id("remove-keep")).isSelected()).as("keeping is the default").isTrue();
            assertThat(browser.driver.findElement(By.id("remove-purge")).isSelected()).isFalse();
            browser.screenshot("DashboardAccountsTest-remove-dialog");
            browser.driver.findElement(By.id("remove-confirm")).click();

            browser.awaitAccountRows(SHORT, rows -> rows.stream().noneMatch(row -> row.name().equals("cabin")));
            await().atMost(SHORT).until(() -> browser.driver.findElement(By.id("accounts-status")).getText().contains("cabin removed"));
            assertThat(browser.driver.findElement(By.id("accounts-status")).getText()).contains("stay");
            assertThat(dialog.isDisplayed()).isFalse();
            assertThat(service.asAdmin("GET", "/api/accounts/cabin", null).statusCode()).isEqualTo(404);
            assertThat(service.get("/api/locks").body()).doesNotContain(cabinDoor);
            assertThat(events(service, cabinDoor)).as("events stay without purge").isNotEmpty();
            browser.screenshot("DashboardAccountsTest-removed");

            // With purge: its events are gone too.
            browser.removeButton("barn").click();
            browser.driver.findElement(By.id("remove-purge")).click();
            browser.driver.findElement(By.id("remove-confirm")).click();

            List<AccountRow> left = browser.awaitAccountRows(SHORT, rows -> rows.stream().noneMatch(row -> row.name().equals("barn")));
            assertThat(left).extracting(AccountRow::name).containsExactly("home");
            await().atMost(SHORT).until(() -> browser.driver.findElement(By.id("accounts-status")).getText().contains("barn removed"));
            assertThat(browser.driver.findElement(By.id("accounts-status")).getText()).contains("with its locks and events");
            assertThat(service.asAdmin("GET", "/api/accounts/barn", null).statusCode()).isEqualTo(404);
            assertThat(events(service, barnDoor)).as("purged").isEmpty();
            assertThat(events(service, cabinDoor)).as("the other removal kept its events").isNotEmpty();

            browser.driver.findElement(By.id("tab-locks")).click();
            await().atMost(SHORT).until(() -> browser.card(cabinDoor) == null && browser.card(barnDoor) == null);
            assertThat(browser.card("10446006-00001")).as("the declared account's lock stays").isNotNull();
            assertThat(browser.js("return [...document.querySelectorAll('section.account')].map(s => s.dataset.account);"))
                    .isEqualTo(List.of("home"));
        }
    }

    @Test
    void aNameTheServerRefusesShowsItsMessage() {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10446007-00001", "Front door", 6)
                .accountsApi(ADMIN, true)
                .start(null, false)) {
            openAccounts(service);
            browser.awaitAccountRows(SHORT, rows -> rows.size() == 1);
            browser.driver.findElement(By.id("connect-open")).click();
            WebElement name = browser.awaitDisplayed(By.id("connect-name"), SHORT);

            name.sendKeys("-not a name", Keys.ENTER);
            WebElement error = browser.awaitDisplayed(By.id("connect-error"), SHORT);
            assertThat(error.getText()).startsWith("An account name is 1 to 64 letters");
            assertThat(name.getDomAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.requestedUrls()).as("checked in the page first").noneMatch(url -> url.contains("/oauth/start"));

            name.clear();
            name.sendKeys("home", Keys.ENTER);
            await().atMost(SHORT).until(() -> browser.driver.findElement(By.id("connect-error")).getText().contains("declared"));
            assertThat(browser.driver.findElement(By.id("connect-error")).getText())
                    .isEqualTo("account home is declared at start (flags or the accounts file): change it there and restart");
            assertThat(browser.requestedUrls()).anyMatch(url -> url.contains("/oauth/start?account=home"));
            assertThat(browser.driver.getCurrentUrl()).as("still on the dashboard").isEqualTo(service.url("/#accounts").toString());
            assertThat(browser.accountRow("home")).as("nothing lost from the view").isNotNull();
            assertThat((Boolean) browser.js("return document.activeElement.id === 'connect-name';")).as("back to the field").isTrue();
            browser.screenshot("DashboardAccountsTest-name-refused");
        }
    }

    @Test
    void atPhoneWidthOnlyTheAccountsTableScrollsSideways() {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10446008-00001", "Front door", 6)
                .tedeeAccount("cabin")
                .lock("cabin", "10446008-00101", "Cabin door", 6)
                .accountsApi(ADMIN, true)
                .start(null, false)) {
            assertThat(service.addAccount("cabin").statusCode()).isEqualTo(201);
            openAccounts(service);
            browser.driver.manage().window().setSize(Browser.PHONE);
            browser.awaitAccountRows(SHORT, rows -> rows.size() == 2);

            assertThat(outsideTheViewport()).as("elements reaching past the right edge, outside the table's scroll box").isEmpty();
            assertThat(browser.overflowsHorizontally()).as("the page itself").isFalse();
            assertThat((Boolean) browser.js("const w = document.getElementById('account-table-wrap');"
                    + " return getComputedStyle(w).overflowX === 'auto' && w.scrollWidth > w.clientWidth;"))
                    .as("the table scrolls in its own box").isTrue();
            Actions keys = new Actions(browser.driver);
            boolean reached = false;
            for (int i = 0; i < 30 && !reached; i++) {
                keys.sendKeys(Keys.TAB).perform();
                reached = Boolean.TRUE.equals(browser.js("return document.activeElement.dataset.action === 'remove';"));
            }
            assertThat(reached).as("Tab reaches a Remove button").isTrue();
            browser.screenshot("DashboardAccountsTest-phone");

            keys.sendKeys(Keys.ENTER).perform();
            WebElement dialog = browser.awaitDisplayed(By.id("remove-dialog"), SHORT);
            assertThat(((Number) browser.js("return document.getElementById('remove-dialog').getBoundingClientRect().right;")).doubleValue())
                    .isLessThanOrEqualTo(Browser.PHONE.width);
            assertThat(outsideTheViewport()).isEmpty();
            browser.screenshot("DashboardAccountsTest-phone-remove-dialog");
            keys.sendKeys(Keys.ESCAPE).perform();
            await().atMost(SHORT).until(() -> !dialog.isDisplayed());
            assertThat(browser.accountRow("cabin")).as("Escape removes nothing").isNotNull();
        } finally {
            browser.driver.manage().window().setSize(Browser.DESKTOP);
        }
    }

    /** Opens the accounts view at its address and gives it the admin token. */
    private static void openAccounts(LiveService service) {
        browser.open(service.url("/#accounts").toString());
        browser.awaitDisplayed(By.id("admin-token-input"), SHORT).sendKeys(ADMIN, Keys.ENTER);
        browser.awaitDisplayed(By.id("accounts-body"), SHORT);
    }

    /** What reaches past the window's right edge, not counting what is inside the table's scroll box. */
    @SuppressWarnings("unchecked")
    private static List<String> outsideTheViewport() {
        return (List<String>) browser.js("""
                const width = document.documentElement.clientWidth;
                return [...document.body.querySelectorAll('*')]
                  .filter(e => !e.parentElement.closest('#account-table-wrap'))
                  .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > width + 0.5)
                  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.getAttribute('class') ? '.' + e.getAttribute('class') : ''));""");
    }

    private JsonNode events(LiveService service, String serial) {
        return read(service.get("/api/events?serialNumber=" + serial).body());
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
