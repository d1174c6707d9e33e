package io.tedeesync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.dashboard.Browser.Card;
import io.tedeesync.simulator.Fault;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** When Tedee cannot be reached the page keeps the last known locks, marks them stale and says why. */
class DashboardDegradedTest {
    private static final String FRONT = "10445001-00001";
    private static final String BACK = "10445001-00002";

    @TempDir
    Path data;

    @Test
    void locksFromTheStoreShowStaleAndTheAccountSaysWhyItIsDegraded() {
        try (LiveService service = new LiveService(data).account("home")
                .lock("home", FRONT, "Front door", 6)
                .lock("home", BACK, "Back door", 2)
                .start(null, true);
                Browser browser = new Browser()) {
            service.stopService();
            service.simulator.injectFault(Fault.serverError(503), 10_000);
            service.start(null, true);
            await().atMost(Duration.ofSeconds(15)).until(() -> service.get("/health").body().contains("\"degraded\""));

            browser.open(service.url("/").toString());

            Card front = browser.card(FRONT);
            assertThat(front.state()).as("the last known position, marked stale").isEqualTo("locked");
            assertThat(front.text()).contains("STALE");
            assertThat(browser.card(BACK).text()).contains("STALE");
            String head = browser.driver.findElement(By.cssSelector("section.account[data-account='home'] .account-head")).getText();
            assertThat(head).contains("Degraded").containsIgnoringCase("503");
            browser.screenshot("DashboardDegradedTest-stale-and-degraded");
        }
    }
}
