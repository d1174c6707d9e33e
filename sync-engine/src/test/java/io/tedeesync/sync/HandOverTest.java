package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An account handed over from one engine to another: removed from the first as {@code removeAccount}
 * removes it, with the history its calls left, which the second honours. Both engines call one simulated
 * Tedee, in one virtual time, so that the API's rules are checked across them.
 */
class HandOverTest {
    private final EngineHarness harness = new EngineHarness();
    private SyncEngine next;

    @AfterEach
    void stop() {
        if (next != null) {
            next.close();
        }
        harness.close();
    }

    /** A second engine on the same simulated Tedee and the same virtual time: the account's next owner. */
    private SyncEngine nextEngine() {
        next = SyncEngine.builder().clock(harness.time).scheduler(harness.time).random(new Random(12)).build();
        next.start();
        return next;
    }

    private List<Instant> syncTimes() {
        return harness.requests("home").stream().filter(SyncFloorTest::isAnySync).map(RecordedRequest::at).toList();
    }

    @Test
    void theTenSecondFloorHoldsAcrossTheHandOver() {
        List<String> serials = harness.account("home", "key-home", 2);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(22)); // list at 0, sync-all at 20
        List<MirroredLock> stored = harness.engine.locks();
        int requestsSoFar = harness.requests("home").size();

        CallHistory history = harness.engine.handOverAccount("home").join().orElseThrow();
        SyncEngine other = nextEngine();
        other.addAccount(harness.config("home", "key-home"), stored, history);
        assertThat(other.account("home").orElseThrow().requestsLastHour()).as("the first owner's requests count on").isEqualTo(requestsSoFar);
        CompletableFuture<MirroredLock> synced = other.requestSync(serials.get(0));
        harness.time.runDue();

        assertThat(history.lastSyncAt()).isEqualTo(EngineHarness.START.plusSeconds(20));
        assertThat(harness.requests("home").get(requestsSoFar)).as("the new owner's list is no sync: at once")
                .satisfies(list -> assertThat(EngineHarness.isGetAll(list)).isTrue())
                .satisfies(list -> assertThat(list.at()).isEqualTo(EngineHarness.START.plusSeconds(22)));
        harness.advance(Duration.ofSeconds(30));

        assertThat(synced).isDone();
        assertThat(syncTimes()).as("the first owner's sync-all at 20 s, then the new owner's sync at 30 s").startsWith(
                EngineHarness.START.plusSeconds(20), EngineHarness.START.plusSeconds(30));
        assertThat(SyncFloorTest.syncsWithinTheFloor(harness.requests("home"))).isEmpty();
        assertThat(harness.simulator.syncCallsTooSoon("home")).isZero();
    }

    @Test
    void aPauseTedeeAskedOfTheFirstOwnerHoldsTheNextOne() {
        harness.account("home", "key-home", 1);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.injectFault(Fault.rateLimited(Duration.ofMinutes(5)), 1);
        harness.advance(Duration.ofSeconds(20)); // the sync-all at 20 s is refused
        Instant limitedAt = harness.requests("home").stream().filter(r -> r.status() == 429).findFirst().orElseThrow().at();

        CallHistory history = harness.engine.handOverAccount("home").join().orElseThrow();
        nextEngine().addAccount(harness.config("home", "key-home"), List.of(), history);
        harness.advance(Duration.ofMinutes(10));

        assertThat(history.blockedUntil()).isAfterOrEqualTo(limitedAt.plus(Duration.ofMinutes(5)));
        List<RecordedRequest> after = harness.requests("home").stream().filter(r -> r.at().isAfter(limitedAt)).toList();
        assertThat(after).isNotEmpty();
        assertThat(after.get(0).at()).as("the next owner's first call").isEqualTo(history.blockedUntil());
    }

    @Test
    void aCallBeingHandedToTheClientAtTheHandOverIsSentBeforeTheHandOverCompletes() throws Exception {
        harness.account("home", "key-home", 1);
        HeldSend http = new HeldSend();
        harness.start(b -> b.account(AccountConfig.of("home", harness.config("home", "key-home").client().httpClient(http))));
        harness.advance(Duration.ofSeconds(5));
        http.holdNext(request -> request.uri().getPath().endsWith("/my/lock/sync"));
        Thread scheduler = new Thread(() -> harness.advance(Duration.ofSeconds(20)), "virtual-scheduler");
        scheduler.start();
        CompletableFuture<Optional<CallHistory>> handedOver;
        try {
            assertThat(http.awaitHeld(Duration.ofSeconds(10))).as("the sync-all at 20 s passed its checks").isTrue();

            handedOver = harness.engine.handOverAccount("home");

            assertThat(handedOver).as("its call is still to be sent").isNotDone();
        } finally {
            http.release();
            scheduler.join(10_000);
        }
        assertThat(handedOver).isCompleted();
        assertThat(handedOver.join().orElseThrow().lastSyncAt()).as("on its way at the hand-over").isEqualTo(EngineHarness.START.plusSeconds(20));
        assertThat(harness.requests("home")).filteredOn(EngineHarness::isSyncAll).singleElement()
                .satisfies(sync -> assertThat(sync.at()).isEqualTo(EngineHarness.START.plusSeconds(20)));
        int requests = harness.requests("home").size();
        harness.advance(Duration.ofMinutes(1));
        assertThat(harness.requests("home")).as("nothing once the hand-over completed").hasSize(requests);
    }

    @Test
    void handOverRemovesTheAccountAndCompletesWithItsHistoryOnceTheStoreTookItsLastChanges() {
        List<String> serials = harness.account("home", "key-home", 1);
        harness.account("office", "key-office", 1);
        AtomicBoolean storeDown = new AtomicBoolean();
        List<ChangeBatch> stored = Collections.synchronizedList(new ArrayList<>());
        harness.start(b -> b.account(harness.config("home", "key-home")).account(harness.config("office", "key-office")).durableListener(batch -> {
            if (storeDown.get()) {
                throw new IllegalStateException("database is locked");
            }
            stored.add(batch);
        }));
        harness.advance(Duration.ofSeconds(5));
        storeDown.set(true);
        harness.simulator.setLockState(serials.get(0), 2);
        harness.advance(Duration.ofSeconds(16)); // the write of the sync-all's change at +20 s fails, and is retried
        CallHistory before = harness.engine.callHistory("home").orElseThrow();

        CompletableFuture<Optional<CallHistory>> handedOver = harness.engine.handOverAccount("home");

        assertThat(harness.engine.account("home")).as("gone at once, as removeAccount").isEmpty();
        assertThat(harness.engine.lock(serials.get(0))).isEmpty();
        assertThat(harness.engine.callHistory("home")).isEmpty();
        assertThat(harness.engine.handOverAccount("home")).as("gone already").isCompletedWithValue(Optional.empty());
        assertThat(harness.engine.handOverAccount("nobody")).isCompletedWithValue(Optional.empty());
        harness.time.advance(Duration.ofMillis(1_500));
        assertThat(handedOver).as("a write of its changes could still come").isNotDone();

        storeDown.set(false);
        harness.time.advance(Duration.ofSeconds(3));

        assertThat(handedOver).isCompleted();
        CallHistory history = handedOver.join().orElseThrow();
        assertThat(history).as("as it was at the removal").isEqualTo(before);
        assertThat(history.lastSyncAt()).isEqualTo(EngineHarness.START.plusSeconds(20));
        assertThat(history.requestsInHourBefore(harness.time.instant())).isEqualTo(harness.requests("home").size());
        assertThat(stored).anyMatch(batch -> batch.account().equals("home") && !batch.events().isEmpty());
        int requests = harness.requests("home").size();
        harness.advance(Duration.ofMinutes(2));
        assertThat(harness.requests("home")).as("no call after the hand-over").hasSize(requests);
        assertThat(harness.requests("office")).as("the other account goes on").anyMatch(r -> r.at().isAfter(harness.time.instant().minusSeconds(30)));
    }

    @Test
    void aHandOverTheStoreDoesNotTakeInTimeFailsAsRemoveDoesAndCarriesTheHistory() throws Exception {
        List<String> serials = harness.account("home", "key-home", 1);
        try (StuckStore store = new StuckStore()) {
            harness.start(b -> b.account(harness.config("home", "key-home")).deliveryExecutor(store.thread()).durableListener(store));
            harness.advance(Duration.ofSeconds(5));
            store.stick();
            harness.simulator.setLockState(serials.get(0), 2);
            harness.advance(Duration.ofSeconds(20));
            CallHistory atRemoval = harness.engine.callHistory("home").orElseThrow();

            CompletableFuture<Optional<CallHistory>> handedOver = harness.engine.handOverAccount("home");
            harness.advance(Duration.ofSeconds(9));
            assertThat(handedOver).isNotDone();
            harness.advance(Duration.ofSeconds(1));

            assertThat(handedOver).isCompletedExceptionally();
            assertThat(harness.engine.accounts()).as("removed all the same").isEmpty();
            assertThatThrownBy(handedOver::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class).hasMessageContaining("has not taken its last changes")
                    .cause().isInstanceOfSatisfying(RemovalTimeoutException.class, timeout -> {
                        assertThat(timeout.account()).isEqualTo("home");
                        assertThat(timeout.history()).isEqualTo(atRemoval);
                    });
        }
    }
}
