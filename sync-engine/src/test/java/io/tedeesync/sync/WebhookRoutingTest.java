package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.webhook.LockStatusChanged;
import io.tedeesync.simulator.Fault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which account a webhook is for, learned from the webhooks themselves, and what an unknown lock id asks for. */
class WebhookRoutingTest {
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    private LockStatusChanged status(String user, long deviceId, int state) {
        return new LockStatusChanged("lock-status-changed", harness.time.instant(), user, deviceId, harness.time.instant(), 2, state, 0);
    }

    @Test
    void theReceiverIsLearnedWhileAnotherAccountIsDownAndItsNewLockRefreshesItsList() {
        List<String> office = harness.account("office", "key-office", 1);
        harness.account("rentals", "key-rentals", 1);
        harness.simulator.injectFault(Fault.serverError(503), 1000, "rentals"); // rentals never loads its list
        harness.start(b -> b.account(harness.config("office", "key-office")).account(harness.config("rentals", "key-rentals")));
        harness.advance(Duration.ofSeconds(25));
        long known = harness.engine.lock(office.get(0)).orElseThrow().id();
        assertThat(harness.engine.acceptWebhook(status("user-office", known, 2))).isEqualTo(WebhookOutcome.APPLIED);

        long added = harness.simulator.addLock("office", "OFFICE-00099", "office lock 99");
        harness.simulator.clearRequests();
        WebhookOutcome outcome = harness.engine.acceptWebhook(status("user-office", added, 6));
        harness.advance(Duration.ofSeconds(10)); // the list refresh gap (30 s since the first list) passes

        assertThat(outcome).isEqualTo(WebhookOutcome.UNKNOWN_DEVICE);
        assertThat(harness.requests("office")).as("office refreshed its list for the new lock").anyMatch(EngineHarness::isGetAll);
        assertThat(harness.engine.lock("OFFICE-00099")).isPresent();
    }

    @Test
    void aConfiguredReceiverRoutesAnUnknownLockToItsAccount() {
        harness.account("office", "key-office", 1);
        harness.account("rentals", "key-rentals", 1);
        harness.start(b -> b.account(new AccountConfig("office", harness.config("office", "key-office").client(), null, "user-office"))
                .account(harness.config("rentals", "key-rentals")));
        harness.advance(Duration.ofSeconds(25));

        long added = harness.simulator.addLock("office", "OFFICE-00099", "office lock 99");
        harness.simulator.clearRequests();
        harness.engine.acceptWebhook(status("user-office", added, 6));
        harness.advance(Duration.ofSeconds(10)); // the list refresh gap (30 s since the first list) passes

        assertThat(harness.requests("office")).anyMatch(EngineHarness::isGetAll);
        assertThat(harness.requests("rentals")).noneMatch(EngineHarness::isGetAll);
        assertThat(harness.engine.lock("OFFICE-00099")).isPresent();
    }
}
