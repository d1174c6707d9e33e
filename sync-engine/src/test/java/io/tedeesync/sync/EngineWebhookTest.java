package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.Credentials;
import io.tedeesync.client.LockState;
import io.tedeesync.client.OAuthRefreshTokenSupplier;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.client.webhook.BellButtonPressed;
import io.tedeesync.client.webhook.LockStatusChanged;
import io.tedeesync.client.webhook.UnknownWebhook;
import io.tedeesync.simulator.OAuthTokens;
import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.SimAccount;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhooks as observations, and what they do to polling; OAuth accounts. */
class EngineWebhookTest {
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    private List<String> startHome(int locks) {
        List<String> serials = harness.account("home", "key-home", locks);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(25));
        return serials;
    }

    private LockStatusChanged status(String serial, int state, Instant eventTime) {
        long id = harness.engine.lock(serial).orElseThrow().id();
        return new LockStatusChanged("lock-status-changed", eventTime, "user-1", id, eventTime, 2, state, 0);
    }

    @Test
    void webhookStateIsAppliedAndNeedsNoSyncCall() {
        List<String> serials = startHome(2);
        harness.simulator.clearRequests();
        harness.events.clear();

        harness.simulator.setLockState(serials.get(0), 2);
        WebhookOutcome outcome = harness.engine.acceptWebhook(status(serials.get(0), 2, harness.time.instant()));
        harness.advance(Duration.ofMinutes(4));

        assertThat(outcome).isEqualTo(WebhookOutcome.APPLIED);
        assertThat(harness.events(LockEvent.StateChanged.class)).singleElement().satisfies(e -> {
            assertThat(e.to()).isEqualTo(LockState.UNLOCKED);
            assertThat(e.source()).isEqualTo(EventSource.WEBHOOK);
        });
        assertThat(harness.requests("home")).as("webhooks flowing: polling dropped to the 5 min safety interval").isEmpty();
        assertThat(harness.engine.accounts().get(0).mode()).isEqualTo("webhooks");
    }

    @Test
    void olderWebhookNeverOverwritesNewerState() {
        List<String> serials = startHome(1);
        Instant known = harness.engine.lock(serials.get(0)).orElseThrow().stateAt();

        WebhookOutcome outcome = harness.engine.acceptWebhook(status(serials.get(0), 2, known.minusSeconds(60)));

        assertThat(outcome).isEqualTo(WebhookOutcome.STALE);
        assertThat(harness.engine.lock(serials.get(0)).orElseThrow().state().state()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void unknownEventTypesAreIgnoredAndCounted() {
        List<String> serials = startHome(1);
        long id = harness.engine.lock(serials.get(0)).orElseThrow().id();
        harness.events.clear();

        WebhookOutcome outcome = harness.engine.acceptWebhook(new UnknownWebhook("door-sensor-moved", null, "user-1", id, null));

        assertThat(outcome).isEqualTo(WebhookOutcome.UNKNOWN_EVENT);
        assertThat(harness.engine.unknownWebhooks()).isEqualTo(1);
        assertThat(harness.events).isEmpty();
    }

    @Test
    void webhooksForAnUnknownDeviceTriggerOneListRefreshNotAStorm() {
        startHome(1);
        harness.simulator.clearRequests();

        for (int i = 0; i < 20; i++) {
            WebhookOutcome outcome = harness.engine.acceptWebhook(
                    new LockStatusChanged("lock-status-changed", null, "user-1", 999_999, harness.time.instant(), 2, 6, 0));
            assertThat(outcome).isEqualTo(WebhookOutcome.UNKNOWN_DEVICE);
        }
        harness.advance(Duration.ofSeconds(20));

        assertThat(harness.requests("home").stream().filter(EngineHarness::isGetAll)).hasSize(1);
    }

    @Test
    void bellPressIsAnEvent() {
        List<String> serials = startHome(1);
        long id = harness.engine.lock(serials.get(0)).orElseThrow().id();

        harness.engine.acceptWebhook(new BellButtonPressed("bell-button-pressed", null, "user-1", id, harness.time.instant()));

        assertThat(harness.events(LockEvent.BellPressed.class)).singleElement().extracting(LockEvent::serialNumber).isEqualTo(serials.get(0));
    }

    @Test
    void pollingReturnsToTheNormalIntervalWhenWebhooksGoQuiet() {
        List<String> serials = startHome(1);
        for (int minute = 0; minute < 20; minute++) {
            harness.engine.acceptWebhook(status(serials.get(0), minute % 2 == 0 ? 2 : 6, harness.time.instant()));
            harness.advance(Duration.ofMinutes(1));
        }
        long duringWebhooks = harness.requests("home").stream().filter(EngineHarness::isSyncAll)
                .filter(r -> r.at().isAfter(EngineHarness.START.plusSeconds(30))).count();
        assertThat(duringWebhooks).as("20 min at the 5 min safety interval").isBetween(3L, 5L);

        harness.simulator.clearRequests();
        harness.advance(Duration.ofMinutes(30));

        List<RecordedRequest> syncs = harness.requests("home").stream().filter(EngineHarness::isSyncAll).toList();
        Instant quietSince = harness.time.instant().minus(Duration.ofMinutes(30)).plus(Duration.ofMinutes(15));
        long afterGap = syncs.stream().filter(r -> r.at().isAfter(quietSince.plus(Duration.ofMinutes(5)))).count();
        assertThat(afterGap).as("back to every 20 s after the quiet gap").isGreaterThanOrEqualTo(25);
        assertThat(harness.engine.accounts().get(0).mode()).isEqualTo("polling");
    }

    @Test
    void sharedLockWebhooksGoToTheAccountOfTheReceivingUser() {
        harness.account("alice", "key-alice", 1);
        SimAccount bob = harness.simulator.addAccount("bob", "key-bob");
        harness.simulator.shareLock("ALICE-00001", "bob");
        harness.start(b -> b.account(harness.config("alice", "key-alice"))
                .account(new AccountConfig("bob", harness.config("bob", "key-bob").client(), null, bob.userIdentity())));
        harness.advance(Duration.ofSeconds(25));
        harness.events.clear();
        long id = harness.engine.locks().get(0).id();

        harness.engine.acceptWebhook(new LockStatusChanged("lock-status-changed", null, bob.userIdentity(), id,
                harness.time.instant(), 2, 2, 0));

        assertThat(harness.events(LockEvent.StateChanged.class)).singleElement().extracting(SyncEvent::account).isEqualTo("bob");
    }

    @Test
    void oauthAccountRefreshesItsTokenAndCarriesOn() {
        harness.account("home", "key-home", 1);
        OAuthTokens tokens = harness.simulator.issueTokens("home");
        OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                .tokenUrl(URI.create(harness.simulator.baseUrl() + "/oauth2/v2.0/token"))
                .refreshToken(tokens.refreshToken()).clock(harness.time).build();
        harness.start(b -> b.account(AccountConfig.of("home", TedeeClient.builder().baseUrl(harness.simulator.baseUrl())
                .credentials(Credentials.bearer(supplier)).clock(harness.time))));

        harness.advance(Duration.ofHours(9));

        assertThat(harness.engine.accounts().get(0).health()).isEqualTo(AccountHealth.OK);
        assertThat(harness.simulator.requests().stream().filter(r -> r.path().contains("oauth2")).count())
                .as("a refresh about every 4 hours").isBetween(3L, 4L);
        assertThat(harness.simulator.requests()).noneMatch(r -> r.status() == 401);
    }
}
