package io.tedeesync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Who may see and do what: the API token, a read-only service, and several accounts. */
class DashboardAccessTest {
    private static final String TOKEN = "dashboard-api-token-9b4f";

    private static Browser browser;

    @BeforeAll
    static void start() {
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    @Test
    void withAnApiTokenThePageAsksForItOnceAndKeepsItForTheSession(@TempDir Path data) throws Exception {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", "10443001-00001", "Front door", 6)
                .lock("home", "10443001-00002", "Back door", 6)
                .start(TOKEN, false)) {
            browser.driver.get(service.url("/").toString());
            WebElement input = browser.driver.findElement(By.id("token-input"));
            await().atMost(Duration.ofSeconds(5)).until(input::isDisplayed);
            assertThat((Boolean) browser.js("return document.activeElement.id === 'token-input';")).as("focused for typing").isTrue();
            browser.screenshot("DashboardAccessTest-asks-for-the-token");

            input.sendKeys("not-the-token", Keys.ENTER);
            WebElement error = browser.driver.findElement(By.id("token-error"));
            await().atMost(Duration.ofSeconds(5)).until(error::isDisplayed);
            assertThat(error.getText()).contains("refused");

            browser.driver.findElement(By.id("token-input")).sendKeys(TOKEN, Keys.ENTER);
            await().atMost(Duration.ofSeconds(10)).until(() -> "live".equals(browser.connection()));
            assertThat(browser.card("10443001-00001").state()).isEqualTo("locked");
            assertThat(browser.js("return sessionStorage.getItem('tedee-sync.api-token');")).isEqualTo(TOKEN);

            service.simulator.setLockState("10443001-00002", 2);
            browser.awaitCard("10443001-00002", Duration.ofSeconds(10), card -> card.state().equals("unlocked"));

            browser.button("10443001-00001", "unlock").click();
            browser.awaitCard("10443001-00001", Duration.ofSeconds(10), card -> card.outcome().contains("Unlocked."));

            browser.driver.navigate().refresh();
            await().atMost(Duration.ofSeconds(10)).until(() -> "live".equals(browser.connection()));
            assertThat(browser.driver.findElement(By.id("token")).isDisplayed()).as("not asked again in this session").isFalse();
            browser.screenshot("DashboardAccessTest-signed-in");

            assertThat(streamStatus(service.url("/api/events/stream"))).isEqualTo(401);
            assertThat(streamStatus(service.url("/api/events/stream?access_token=wrong"))).isEqualTo(401);
            assertThat(streamStatus(service.url("/api/events/stream?access_token=" + TOKEN))).isEqualTo(200);
            assertThat(service.send(HttpRequest.newBuilder(service.url("/api/locks?access_token=" + TOKEN)).build()).statusCode())
                    .as("the query token is for the stream only").isEqualTo(401);
        }
    }

    @Test
    void aReadOnlyServiceShowsNoOperationsAndGroupsLocksByAccount(@TempDir Path data) {
        try (LiveService service = new LiveService(data).account("home").account("office")
                .lock("home", "10444001-00001", "Front door", 6)
                .lock("home", "10444001-00002", "Back door", 2)
                .lock("office", "10444001-00003", "Main entrance", 3)
                .lock("office", "10444001-00004", "Server room", 6)
                .start(null, false)) {
            browser.open(service.url("/").toString());

            assertThat(browser.js("return [...document.querySelectorAll('section.account')].map(s => s.dataset.account);"))
                    .isEqualTo(List.of("home", "office"));
            assertThat(browser.card("10444001-00001").account()).isEqualTo("home");
            assertThat(browser.card("10444001-00002").account()).isEqualTo("home");
            assertThat(browser.card("10444001-00003").account()).isEqualTo("office");
            assertThat(browser.card("10444001-00004").account()).isEqualTo("office");
            assertThat(browser.card("10444001-00002").state()).isEqualTo("unlocked");
            assertThat(browser.driver.findElements(By.cssSelector("button.op"))).as("no operation buttons").isEmpty();
            browser.screenshot("DashboardAccessTest-read-only-two-accounts");
        }
    }

    /** The status of a stream request, without waiting for the (endless) body. */
    private static int streamStatus(URI url) throws Exception {
        HttpResponse<InputStream> response = java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(url).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }
}
