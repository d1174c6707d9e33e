package io.tedeesync.sync;

import static io.tedeesync.sync.EngineHarness.isGetAll;
import static io.tedeesync.sync.EngineHarness.isSyncAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.LockState;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each rule of the Tedee API, enforced by the engine against the simulated cloud in virtual time. */
class EngineRulesTest {
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    private List<String> startHome(int locks) {
        List<String> serials = harness.account("home", "key-home", locks);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        return serials;
    }

    @Test
    void startGetsAllLocksOnceThenKeepsThemCurrentBySyncOnly() {
        startHome(3);

        harness.advance(Duration.ofMinutes(10));

        List<RecordedRequest> requests = harness.requests("home");
        assertThat(requests.get(0).path()).endsWith("/my/lock");
        assertThat(requests).filteredOn(EngineHarness::isGetAll).hasSize(1);
        assertThat(requests.subList(1, requests.size())).allMatch(EngineHarness::isSyncAll);
        assertThat(harness.engine.locks()).extracting(MirroredLock::serialNumber).containsExactlyInAnyOrder("HOME-00001", "HOME-00002", "HOME-00003");
        assertThat(harness.events(LockEvent.Added.class)).hasSize(3);
    }

    @Test
    void syncAllRunsEveryIntervalWithOneRequestWhateverTheLockCount() {
        startHome(40);

        harness.advance(Duration.ofHours(1));

        List<RecordedRequest> syncs = harness.requests("home").stream().filter(EngineHarness::isSyncAll).toList();
        assertThat(syncs).hasSizeBetween(178, 181);
        for (int i = 1; i < syncs.size(); i++) {
            assertThat(Duration.between(syncs.get(i - 1).at(), syncs.get(i).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        }
        assertThat(harness.simulator.syncCallsTooSoon()).isZero();
    }

    @Test
    void syncOfOneLockWaitsForItsTenSecondFloorAndConcurrentRequestsShareOneCall() {
        List<String> serials = startHome(3);
        harness.advance(Duration.ofSeconds(20)); // a sync-all just ran at +20 s
        harness.simulator.clearRequests();

        CompletableFuture<MirroredLock> first = harness.engine.requestSync(serials.get(0));
        CompletableFuture<MirroredLock> second = harness.engine.requestSync(serials.get(0));
        harness.advance(Duration.ofSeconds(9));
        assertThat(harness.requests("home")).as("not within 10 s of the sync-all").isEmpty();
        harness.advance(Duration.ofSeconds(1));

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(harness.requests("home")).singleElement().satisfies(r -> assertThat(r.path()).endsWith("/sync").contains("/my/lock/"));
        assertThat(harness.simulator.syncCallsTooSoon()).isZero();
    }

    @Test
    void severalLocksToRefreshGoInOneFilteredSync() {
        List<String> serials = startHome(5);
        harness.advance(Duration.ofSeconds(25));
        harness.simulator.clearRequests();

        serials.subList(0, 3).forEach(harness.engine::requestSync);
        harness.advance(Duration.ofSeconds(6));

        assertThat(harness.requests("home")).singleElement().satisfies(r -> {
            assertThat(r.path()).endsWith("/my/lock/sync");
            assertThat(r.query().split("&")).hasSize(3);
        });
    }

    @Test
    void budgetIsNeverExceededAndTheIntervalStretchesInstead() {
        harness.close();
        try (EngineHarness tight = new EngineHarness(60)) {
            tight.account("home", "key-home", 2);
            tight.start(b -> b.account(tight.config("home", "key-home")).settings(SyncSettings.defaults().withBudget(60, 10)));

            tight.advance(Duration.ofHours(2));

            assertThat(tight.requests("home")).noneMatch(r -> r.status() == 429);
            List<Instant> times = tight.requests("home").stream().map(RecordedRequest::at).toList();
            for (Instant at : times) {
                long inHour = times.stream().filter(t -> !t.isAfter(at) && t.isAfter(at.minus(Duration.ofHours(1)))).count();
                assertThat(inHour).isLessThanOrEqualTo(50);
            }
            AccountStatus status = tight.engine.accounts().get(0);
            assertThat(status.budgetLimited()).isTrue();
            assertThat(status.effectiveInterval()).as("the interval stretches, it does not stall").isGreaterThan(Duration.ofSeconds(20));
            List<Instant> syncs = tight.requests("home").stream().filter(EngineHarness::isSyncAll).map(RecordedRequest::at).toList();
            for (int i = 1; i < syncs.size(); i++) {
                assertThat(Duration.between(syncs.get(i - 1), syncs.get(i))).as("no long stall between sync-alls")
                        .isLessThan(Duration.ofMinutes(10));
            }

            // The reserve is there for operating locks: with polling held back, an unlock still goes out.
            String serial = tight.engine.locks().get(0).serialNumber();
            java.util.concurrent.CompletableFuture<OperationOutcome> unlock = tight.engine.operate(serial, OperationType.UNLOCK, null);
            tight.advance(Duration.ofSeconds(10));
            assertThat(unlock).isCompletedWithValueMatching(OperationOutcome::succeeded);
            assertThat(tight.requests("home")).noneMatch(r -> r.status() == 429);
        }
    }

    @Test
    void rateLimitedAccountSendsNothingUntilRetryAfterHasPassed() {
        startHome(2);
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.injectFault(Fault.rateLimited(Duration.ofMinutes(7)), 1);
        harness.advance(Duration.ofSeconds(20));
        Instant limitedAt = harness.requests("home").stream().filter(r -> r.status() == 429).findFirst().orElseThrow().at();

        harness.advance(Duration.ofMinutes(10));

        List<RecordedRequest> after = harness.requests("home").stream().filter(r -> r.at().isAfter(limitedAt)).toList();
        assertThat(after).isNotEmpty();
        assertThat(after.get(0).at()).isAfterOrEqualTo(limitedAt.plus(Duration.ofMinutes(7)));
        assertThat(harness.events(AccountEvent.AccountDegraded.class)).hasSize(1);
        assertThat(harness.events(AccountEvent.AccountRecovered.class)).hasSize(1);
    }

    @Test
    void serverErrorsBackOffExponentiallyKeepTheLastStateAndMarkItStale() {
        List<String> serials = startHome(1);
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.injectFault(Fault.serverError(503), 6);

        harness.advance(Duration.ofMinutes(12));

        List<Instant> failures = harness.requests("home").stream().filter(r -> r.status() == 503).map(RecordedRequest::at).toList();
        assertThat(failures).hasSize(6);
        assertThat(Duration.between(failures.get(0), failures.get(1))).as("never below the backoff base").isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        for (int i = 2; i < failures.size(); i++) {
            Duration before = Duration.between(failures.get(i - 2), failures.get(i - 1));
            Duration gap = Duration.between(failures.get(i - 1), failures.get(i));
            assertThat(gap).as("gap %d grows", i).isGreaterThan(before.dividedBy(2).plusSeconds(1));
        }
        MirroredLock lock = harness.engine.lock(serials.get(0)).orElseThrow();
        assertThat(lock.state().state()).as("last known state kept").isEqualTo(LockState.LOCKED);
        Instant lastFailure = failures.get(failures.size() - 1);
        assertThat(harness.engine.accounts().get(0).health()).as("the call after the last fault succeeded").isEqualTo(AccountHealth.OK);
        assertThat(harness.events(AccountEvent.AccountDegraded.class)).hasSize(1);
        assertThat(harness.events(AccountEvent.AccountRecovered.class)).hasSize(1);
        assertThat(lastFailure).isAfter(EngineHarness.START.plus(Duration.ofMinutes(4)));
    }

    @Test
    void copiesTurnStaleWhileTheApiIsDownAndFreshWhenItRecovers() {
        List<String> serials = startHome(1);
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.injectFault(Fault.serverError(500), 5);
        harness.advance(Duration.ofMinutes(2));
        MirroredLock during = harness.engine.lock(serials.get(0)).orElseThrow();
        assertThat(harness.engine.isStale(during, harness.time.instant())).isTrue();

        harness.advance(Duration.ofMinutes(6)); // the engine's backed-off calls use up the injected faults

        MirroredLock after = harness.engine.lock(serials.get(0)).orElseThrow();
        assertThat(harness.engine.isStale(after, harness.time.instant())).isFalse();
        assertThat(harness.engine.accounts().get(0).health()).isEqualTo(AccountHealth.OK);
    }

    @Test
    void refusedKeyFailsTheAccountAfterOneCallAndStopsCallingIt() {
        startHome(2);
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.revokeKey("home");

        harness.advance(Duration.ofHours(1));

        Instant revokedAt = harness.time.instant().minus(Duration.ofHours(1));
        assertThat(harness.simulator.requests().stream().filter(r -> r.at().isAfter(revokedAt)))
                .as("one refused call, then silence").singleElement().extracting(RecordedRequest::status).isEqualTo(401);
        AccountStatus status = harness.engine.accounts().get(0);
        assertThat(status.health()).isEqualTo(AccountHealth.FAILED);
        assertThat(status.reason()).contains("401");
        assertThat(harness.events(AccountEvent.AccountFailed.class)).hasSize(1);
    }

    @Test
    void reAddedLockKeepsItsSerialIdentityUnderTheNewId() {
        List<String> serials = startHome(3);
        harness.advance(Duration.ofSeconds(5));
        long oldId = harness.engine.lock(serials.get(1)).orElseThrow().id();
        harness.events.clear();

        long newId = harness.simulator.reAddLock(serials.get(1));
        harness.advance(Duration.ofMinutes(2));

        assertThat(harness.events(LockEvent.IdChanged.class)).singleElement().satisfies(e -> {
            assertThat(e.serialNumber()).isEqualTo(serials.get(1));
            assertThat(e.previousId()).isEqualTo(oldId);
            assertThat(e.lockId()).isEqualTo(newId);
        });
        assertThat(harness.events(LockEvent.Added.class)).isEmpty();
        assertThat(harness.events(LockEvent.Removed.class)).isEmpty();
        assertThat(harness.engine.locks()).hasSize(3);
        assertThat(harness.requests("home").stream().filter(EngineHarness::isGetAll)).hasSize(2);
    }

    @Test
    void removedAndNewLocksFollowTheList() {
        List<String> serials = startHome(2);
        harness.advance(Duration.ofSeconds(5));

        harness.simulator.removeLock(serials.get(0));
        harness.simulator.addLock("home", "HOME-00099", "New lock");
        harness.advance(Duration.ofMinutes(2));

        assertThat(harness.events(LockEvent.Removed.class)).extracting(LockEvent::serialNumber).containsExactly(serials.get(0));
        assertThat(harness.events(LockEvent.Added.class)).extracting(LockEvent::serialNumber).contains("HOME-00099");
        assertThat(harness.engine.locks()).extracting(MirroredLock::serialNumber).containsExactlyInAnyOrder(serials.get(1), "HOME-00099");
    }

    @Test
    void higherRevisionFetchesTheLockOnceAndReportsTheNewName() {
        List<String> serials = startHome(2);
        harness.advance(Duration.ofSeconds(5));

        harness.simulator.rename(serials.get(0), "Kitchen");
        harness.advance(Duration.ofMinutes(5));

        assertThat(harness.events(LockEvent.SettingsChanged.class)).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("Kitchen");
            assertThat(e.revision()).isGreaterThan(e.previousRevision());
        });
        assertThat(harness.requests("home").stream().filter(r -> r.path().matches(".*/my/lock/\\d+"))).hasSize(1);
        assertThat(harness.engine.lock(serials.get(0)).orElseThrow().name()).isEqualTo("Kitchen");
    }

    @Test
    void eventsOnlyForRealChangesWithFromAndToAndTheApiTime() {
        List<String> serials = startHome(2);
        harness.advance(Duration.ofMinutes(5));
        harness.events.clear();

        harness.simulator.setLockState(serials.get(0), 2);
        Instant changedAt = harness.time.instant();
        harness.advance(Duration.ofMinutes(5));

        assertThat(harness.events).hasSize(1);
        LockEvent.StateChanged change = harness.events(LockEvent.StateChanged.class).get(0);
        assertThat(change.from()).isEqualTo(LockState.LOCKED);
        assertThat(change.to()).isEqualTo(LockState.UNLOCKED);
        assertThat(change.occurredAt()).isEqualTo(changedAt);
        assertThat(change.observedAt()).isAfter(changedAt);
        assertThat(change.source()).isEqualTo(EventSource.SYNC);
    }

    @Test
    void aThrowingListenerBreaksNeitherTheEngineNorTheOtherListeners() {
        List<String> serials = harness.account("home", "key-home", 1);
        harness.start(b -> b.account(harness.config("home", "key-home"))
                .listener(batch -> { throw new IllegalStateException("listener bug"); }));
        harness.advance(Duration.ofSeconds(5));

        harness.simulator.setLockState(serials.get(0), 2);
        harness.advance(Duration.ofSeconds(30));

        assertThat(harness.events(LockEvent.StateChanged.class)).hasSize(1);
    }

    @Test
    void disconnectedLockHasNoCurrentPositionButKeepsItAsHistory() {
        List<String> serials = startHome(1);
        harness.advance(Duration.ofSeconds(5));

        harness.simulator.disconnect(serials.get(0));
        harness.advance(Duration.ofSeconds(30));

        MirroredLock lock = harness.engine.lock(serials.get(0)).orElseThrow();
        assertThat(lock.connected()).isFalse();
        assertThat(lock.state()).isNull();
        assertThat(lock.lastKnown().state()).isEqualTo(LockState.LOCKED);
        assertThat(harness.events(LockEvent.ConnectionChanged.class)).singleElement().extracting(LockEvent.ConnectionChanged::connected).isEqualTo(false);
        assertThat(harness.engine.operate(serials.get(0), OperationType.UNLOCK, UnlockMode.NORMAL))
                .isCompletedWithValueMatching(o -> o.status() == OperationOutcome.Status.REJECTED && o.message().contains("disconnected"));
    }

    @Test
    void operationIsFollowedToCompletionThenTheLockIsSyncedOnce() {
        List<String> serials = startHome(1);
        harness.advance(Duration.ofSeconds(25));
        harness.simulator.clearRequests();

        CompletableFuture<OperationOutcome> outcome = harness.engine.operate(serials.get(0), OperationType.UNLOCK, UnlockMode.NORMAL);
        harness.advance(Duration.ofSeconds(15));

        assertThat(outcome).isCompletedWithValueMatching(OperationOutcome::succeeded);
        List<RecordedRequest> requests = harness.requests("home");
        assertThat(requests.get(0).path()).endsWith("/operation/unlock");
        assertThat(requests).filteredOn(r -> r.path().contains("/my/device/operation/")).hasSizeBetween(3, 5);
        assertThat(requests).filteredOn(r -> r.path().matches(".*/my/lock/\\d+/sync")).hasSize(1);
        assertThat(harness.engine.lock(serials.get(0)).orElseThrow().state().state()).isEqualTo(LockState.UNLOCKED);
        assertThat(harness.simulator.syncCallsTooSoon()).isZero();
    }

    @Test
    void operationInAStateThatDoesNotAllowItIsRejectedWithoutACall() {
        List<String> serials = startHome(1);
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.clearRequests();

        CompletableFuture<OperationOutcome> outcome = harness.engine.operate(serials.get(0), OperationType.LOCK, null);
        harness.advance(Duration.ofSeconds(1));

        assertThat(outcome).isCompletedWithValueMatching(o -> o.status() == OperationOutcome.Status.REJECTED);
        assertThat(harness.requests("home")).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void anOperationThatCouldOnlyBeSentAfterItsDeadlineIsRefusedNotSentLate() {
        List<String> serials = startHome(1);
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.injectFault(io.tedeesync.simulator.Fault.rateLimited(Duration.ofHours(1)), 1);
        harness.advance(Duration.ofSeconds(20));

        CompletableFuture<OperationOutcome> unlock = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.advance(Duration.ofHours(2));

        assertThat(unlock).isCompletedWithValueMatching(o -> o.status() == OperationOutcome.Status.REJECTED);
        assertThat(harness.requests("home")).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void syncRequestsForAFailedAccountFailAtOnce() {
        List<String> serials = startHome(1);
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.revokeKey("home");
        harness.advance(Duration.ofMinutes(1));

        assertThat(harness.engine.requestSync(serials.get(0))).isCompletedExceptionally();
    }

    @Test
    void accountsHaveTheirOwnBudgetsAndSchedules() {
        harness.account("alice", "key-alice", 2);
        harness.account("bob", "key-bob", 3);
        harness.start(b -> b.account(harness.config("alice", "key-alice"))
                .account(new AccountConfig("bob", harness.config("bob", "key-bob").client(), Duration.ofSeconds(60), null)));

        harness.advance(Duration.ofMinutes(10));

        assertThat(harness.requests("alice").stream().filter(EngineHarness::isSyncAll).count()).isBetween(29L, 31L);
        assertThat(harness.requests("bob").stream().filter(EngineHarness::isSyncAll).count()).isBetween(9L, 11L);
        assertThat(harness.engine.locks()).hasSize(5);
        assertThat(harness.engine.accounts()).extracting(AccountStatus::name).containsExactlyInAnyOrder("alice", "bob");
    }
}
