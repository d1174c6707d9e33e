package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.LockState;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.webhook.LockStatusChanged;
import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After an operation completes, the seed says to sync that lock, and also that a webhook makes the sync
 * unnecessary; either way the outcome carries the lock as it is after the operation.
 */
class OperationConfirmationTest {
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    private List<String> start(SyncSettings settings) {
        List<String> serials = harness.account("home", "key-home", 2);
        harness.start(b -> b.account(harness.config("home", "key-home")).settings(settings));
        harness.advance(Duration.ofSeconds(25));
        return serials;
    }

    private LockStatusChanged webhook(String serial, int state) {
        long id = harness.engine.lock(serial).orElseThrow().id();
        return new LockStatusChanged("lock-status-changed", harness.time.instant(), "user-1", id, harness.time.instant(), 2, state, 0);
    }

    private static boolean isSingleSync(RecordedRequest request) {
        return request.path().endsWith("/sync") && !EngineHarness.isSyncAll(request);
    }

    @Test
    void unlockOutcomeCarriesTheLockAsSyncedAfterTheOperation() {
        List<String> serials = start(SyncSettings.defaults());

        CompletableFuture<OperationOutcome> unlock = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.advance(Duration.ofSeconds(30));

        assertThat(unlock).isDone();
        OperationOutcome outcome = unlock.join();
        assertThat(outcome.status()).isEqualTo(OperationOutcome.Status.SUCCEEDED);
        assertThat(outcome.lock().state().state()).as("not the LOCKED from before the operation").isEqualTo(LockState.UNLOCKED);
    }

    @Test
    void whileWebhooksFlowTheLocksWebhookConfirmsTheOperationWithoutASync() {
        List<String> serials = start(SyncSettings.defaults());
        harness.engine.acceptWebhook(webhook(serials.get(1), 6)); // webhooks flow for this account
        harness.simulator.clearRequests();

        CompletableFuture<OperationOutcome> unlock = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.advance(Duration.ofSeconds(4)); // the simulator completes it after 3 s
        assertThat(harness.requests("home")).as("completed").anyMatch(r -> r.path().contains("/my/device/operation/"));
        assertThat(unlock).as("waiting for the lock's webhook").isNotDone();

        harness.engine.acceptWebhook(webhook(serials.get(0), 2));
        harness.advance(Duration.ofMinutes(2));

        assertThat(unlock).isDone();
        assertThat(unlock.join().lock().state().state()).isEqualTo(LockState.UNLOCKED);
        assertThat(harness.requests("home")).as("the webhook made the sync unnecessary").noneMatch(OperationConfirmationTest::isSingleSync);
    }

    @Test
    void whenTheWebhookDoesNotComeInTimeTheLockIsSynced() {
        List<String> serials = start(SyncSettings.defaults().withOperationWebhookWait(Duration.ofSeconds(3)));
        harness.engine.acceptWebhook(webhook(serials.get(1), 6));
        harness.simulator.clearRequests();

        CompletableFuture<OperationOutcome> unlock = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.advance(Duration.ofSeconds(5));
        assertThat(harness.requests("home")).as("still waiting for the webhook").noneMatch(OperationConfirmationTest::isSingleSync);
        harness.advance(Duration.ofSeconds(10));

        assertThat(harness.requests("home")).filteredOn(OperationConfirmationTest::isSingleSync).hasSize(1);
        assertThat(unlock).isDone();
        assertThat(unlock.join().lock().state().state()).isEqualTo(LockState.UNLOCKED);
    }

    @Test
    void withoutWebhooksTheLockIsSyncedAtOnceAtItsFloor() {
        List<String> serials = start(SyncSettings.defaults());
        harness.simulator.clearRequests();

        CompletableFuture<OperationOutcome> unlock = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.advance(Duration.ofSeconds(15));

        List<RecordedRequest> requests = harness.requests("home");
        RecordedRequest completed = requests.stream().filter(r -> r.path().contains("/my/device/operation/")).reduce((a, b) -> b).orElseThrow();
        RecordedRequest sync = requests.stream().filter(OperationConfirmationTest::isSingleSync).findFirst().orElseThrow();
        assertThat(Duration.between(completed.at(), sync.at())).as("no webhook wait while polling").isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(unlock).isDone();
    }

    @Test
    void closeCompletesEveryPendingOperation() {
        List<String> serials = start(SyncSettings.defaults());
        harness.engine.acceptWebhook(webhook(serials.get(1), 6));
        CompletableFuture<OperationOutcome> confirming = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.advance(Duration.ofSeconds(4)); // completed, waiting for its webhook
        CompletableFuture<OperationOutcome> following = harness.engine.operate(serials.get(1), OperationType.UNLOCK, null);
        harness.advance(Duration.ofSeconds(1)); // sent, being followed
        CompletableFuture<OperationOutcome> queued = harness.engine.operate(serials.get(1), OperationType.UNLOCK, null); // not sent yet

        harness.engine.close();

        assertThat(List.of(confirming, following, queued)).allMatch(CompletableFuture::isDone);
        assertThat(confirming.join().status()).as("it did complete at Tedee").isEqualTo(OperationOutcome.Status.SUCCEEDED);
        assertThat(following.join().status()).isNotEqualTo(OperationOutcome.Status.SUCCEEDED);
        assertThat(queued.join().status()).isEqualTo(OperationOutcome.Status.REJECTED);
    }
}
