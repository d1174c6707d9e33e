package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.Endpoint;
import io.tedeesync.client.OperationType;
import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The call permit ({@link SyncEngine.Builder#callPermit}): asked right before every call, it keeps an
 * account from calling Tedee at all while it says no (in a cluster: while this instance may not hold the
 * account's lease), and nothing else.
 */
class CallPermitTest {
    private final EngineHarness harness = new EngineHarness();
    private final Map<String, AtomicBoolean> permitted = new ConcurrentHashMap<>();
    /** When the permit was asked for home, in virtual time. */
    private final List<Instant> askedForHome = Collections.synchronizedList(new ArrayList<>());
    private final Predicate<String> permit = account -> {
        if (account.equals("home")) {
            askedForHome.add(harness.time.instant());
        }
        return permitted.computeIfAbsent(account, name -> new AtomicBoolean(true)).get();
    };

    @AfterEach
    void stop() {
        harness.close();
    }

    private void permit(String account, boolean permit) {
        permitted.computeIfAbsent(account, name -> new AtomicBoolean()).set(permit);
    }

    private static boolean isDetails(RecordedRequest request) {
        return request.path().matches(".*/my/lock/\\d+");
    }

    private static boolean isPoll(RecordedRequest request) {
        return request.path().contains("/my/device/operation/");
    }

    private List<RecordedRequest> since(Instant from) {
        return harness.requests("home").stream().filter(r -> !r.at().isBefore(from)).toList();
    }

    @Test
    void whileRefusedAnAccountSendsNothingAsksAgainEverySecondAndTheOthersGoOn() {
        harness.account("home", "key-home", 2);
        harness.account("office", "key-office", 1);
        permit("home", false);
        harness.start(b -> b.account(harness.config("home", "key-home")).account(harness.config("office", "key-office")).callPermit(permit));

        harness.advance(Duration.ofSeconds(30));

        assertThat(harness.requests("home")).as("not even its first lock list").isEmpty();
        assertThat(askedForHome).as("it plans again every second").containsExactlyElementsOf(
                IntStream.rangeClosed(0, 30).mapToObj(EngineHarness.START::plusSeconds).toList());
        assertThat(harness.requests("office")).as("list at 0, sync-all at 20 s: as without a permit").hasSize(2)
                .allMatch(r -> r.status() == 200);

        permit("home", true);
        askedForHome.clear();
        harness.advance(Duration.ofMinutes(1));

        List<RecordedRequest> resumed = harness.requests("home");
        assertThat(resumed.get(0)).satisfies(list -> assertThat(EngineHarness.isGetAll(list)).isTrue())
                .satisfies(list -> assertThat(list.at()).as("at its next ask").isEqualTo(EngineHarness.START.plusSeconds(31)));
        assertThat(resumed).filteredOn(EngineHarness::isSyncAll).as("at 51 and 71 s").hasSize(2);
        assertThat(askedForHome).as("asked right before each call, once").containsExactlyElementsOf(resumed.stream().map(RecordedRequest::at).toList());
    }

    @Test
    void noSyncAndNoDetailsWhileRefusedAndEachGoesOncePermittedAgain() {
        List<String> serials = harness.account("home", "key-home", 2);
        AccountConfig home = harness.config("home", "key-home");
        AtomicBoolean refuseAfterNextSync = new AtomicBoolean();
        // Told once the answer is in, before the engine has it: the details it asks for next are refused.
        home.client().requestListener((endpoint, status, latency) -> {
            if (endpoint == Endpoint.SYNC_LOCKS && refuseAfterNextSync.compareAndSet(true, false)) {
                permit("home", false);
            }
        });
        harness.start(b -> b.account(home).callPermit(permit));
        harness.advance(Duration.ofSeconds(5));

        permit("home", false);
        Instant refused = harness.time.instant();
        CompletableFuture<MirroredLock> asked = harness.engine.requestSync(serials.get(0));
        harness.advance(Duration.ofSeconds(20));
        assertThat(since(refused)).as("neither the sync asked for nor the sync-all due at 20 s").isEmpty();
        assertThat(asked).isNotDone();
        permit("home", true);
        harness.advance(Duration.ofSeconds(1));
        assertThat(asked).isDone();
        assertThat(since(refused)).singleElement().satisfies(sync -> assertThat(SyncFloorTest.isAnySync(sync)).isTrue());

        harness.simulator.rename(serials.get(1), "Porch");
        refuseAfterNextSync.set(true);
        harness.advance(Duration.ofSeconds(30)); // the sync-all at 46 s sees the higher revision; its details are refused
        Instant renamedSeenBy = harness.requests("home").get(harness.requests("home").size() - 1).at();
        assertThat(harness.requests("home")).noneMatch(CallPermitTest::isDetails);
        assertThat(harness.engine.lock(serials.get(1)).orElseThrow().name()).isNotEqualTo("Porch");
        permit("home", true);
        harness.advance(Duration.ofSeconds(1));

        assertThat(since(renamedSeenBy.plusMillis(1))).singleElement().satisfies(details -> assertThat(isDetails(details)).isTrue());
        assertThat(harness.engine.lock(serials.get(1)).orElseThrow().name()).isEqualTo("Porch");
        assertThat(SyncFloorTest.syncsWithinTheFloor(harness.requests("home"))).isEmpty();
    }

    @Test
    void anOperationAndItsPollsWaitForThePermitInTheirPlace() {
        List<String> serials = harness.account("home", "key-home", 1);
        AccountConfig home = harness.config("home", "key-home");
        AtomicBoolean refuseAfterCommand = new AtomicBoolean();
        home.client().requestListener((endpoint, status, latency) -> {
            if (endpoint == Endpoint.OPERATE_LOCK && refuseAfterCommand.compareAndSet(true, false)) {
                permit("home", false);
            }
        });
        harness.start(b -> b.account(home).callPermit(permit));
        harness.advance(Duration.ofSeconds(25));
        permit("home", false);
        Instant refused = harness.time.instant();

        CompletableFuture<OperationOutcome> unlock = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.advance(Duration.ofSeconds(5));
        assertThat(since(refused)).as("the command waits").isEmpty();
        assertThat(unlock).isNotDone();

        refuseAfterCommand.set(true);
        permit("home", true);
        harness.advance(Duration.ofSeconds(5));
        assertThat(since(refused)).as("sent at the next ask; then polls are refused").singleElement().satisfies(command -> {
            assertThat(command.path()).endsWith("/operation/unlock");
            assertThat(command.at()).isEqualTo(refused.plusSeconds(6));
        });
        assertThat(unlock).isNotDone();

        permit("home", true);
        harness.advance(Duration.ofSeconds(15));
        assertThat(since(refused)).filteredOn(CallPermitTest::isPoll).isNotEmpty().allMatch(poll -> poll.at().isAfter(refused.plusSeconds(10)));
        assertThat(unlock).isCompletedWithValueMatching(OperationOutcome::succeeded);
    }

    @Test
    void anOperationThatCouldOnlyBeSentAfterItsDeadlineIsRefusedNotSent() {
        List<String> serials = harness.account("home", "key-home", 1);
        harness.start(b -> b.account(harness.config("home", "key-home")).callPermit(permit));
        harness.advance(Duration.ofSeconds(25));
        permit("home", false);

        CompletableFuture<OperationOutcome> unlock = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.advance(Duration.ofSeconds(28));
        assertThat(unlock).as("it can still be sent before its deadline (30 s): it waits").isNotDone();
        harness.advance(Duration.ofSeconds(2));

        assertThat(unlock).isCompletedWithValueMatching(outcome -> outcome.status() == OperationOutcome.Status.REJECTED
                && outcome.message().contains("not permitted"));
        permit("home", true);
        harness.advance(Duration.ofSeconds(30));
        assertThat(harness.requests("home")).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void aPermitThatThrowsIsARefusal() {
        harness.account("home", "key-home", 1);
        AtomicBoolean broken = new AtomicBoolean(true);
        harness.start(b -> b.account(harness.config("home", "key-home")).callPermit(account -> {
            if (broken.get()) {
                throw new IllegalStateException("lease table unreadable");
            }
            return true;
        }));
        harness.advance(Duration.ofSeconds(10));
        assertThat(harness.requests("home")).isEmpty();

        broken.set(false);
        harness.advance(Duration.ofSeconds(1));

        assertThat(harness.requests("home")).singleElement().satisfies(list -> assertThat(EngineHarness.isGetAll(list)).isTrue());
    }
}
