package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.OperationType;
import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed's "not more than once every 10 s", account-wide: every form of sync, whoever asked for it. */
class SyncFloorTest {
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    static boolean isAnySync(RecordedRequest request) {
        return request.path().endsWith("/sync");
    }

    /** Pairs of sync requests of the account closer than 10 s, as "t1 -> t2" for a readable failure. */
    static List<String> syncsWithinTheFloor(List<RecordedRequest> requests) {
        List<Instant> syncs = requests.stream().filter(SyncFloorTest::isAnySync).map(RecordedRequest::at).sorted().toList();
        List<String> tooClose = new ArrayList<>();
        for (int i = 1; i < syncs.size(); i++) {
            if (Duration.between(syncs.get(i - 1), syncs.get(i)).compareTo(SyncSettings.SYNC_FLOOR) < 0) {
                tooClose.add(syncs.get(i - 1) + " -> " + syncs.get(i));
            }
        }
        return tooClose;
    }

    @Test
    void noTwoSyncRequestsOfAnAccountWithinTenSecondsWhateverAskedForThem() {
        List<String> serials = harness.account("home", "key-home", 4);
        harness.start(b -> b.account(harness.config("home", "key-home")).settings(SyncSettings.defaults().withOperationWebhookWait(Duration.ZERO)));
        harness.advance(Duration.ofSeconds(3));

        // Interval, on-demand syncs of different locks at different times, and several locks operated together.
        List<CompletableFuture<?>> asked = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            asked.add(harness.engine.requestSync(serials.get(round % 4)));
            harness.advance(Duration.ofSeconds(4));
            asked.add(harness.engine.requestSync(serials.get((round + 1) % 4)));
            if (round % 2 == 0) {
                asked.add(harness.engine.operate(serials.get(0), round % 4 == 0 ? OperationType.UNLOCK : OperationType.LOCK, null));
                asked.add(harness.engine.operate(serials.get(1), round % 4 == 0 ? OperationType.UNLOCK : OperationType.LOCK, null));
            }
            harness.advance(Duration.ofSeconds(7));
        }
        harness.advance(Duration.ofMinutes(2));

        List<RecordedRequest> requests = harness.requests("home");
        assertThat(requests.stream().filter(r -> isAnySync(r) && !EngineHarness.isSyncAll(r)))
                .as("single and ?id= syncs were made, so the floor was tested across forms").hasSizeGreaterThan(3);
        assertThat(requests).filteredOn(r -> r.path().contains("/operation/")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(syncsWithinTheFloor(requests)).isEmpty();
        assertThat(harness.simulator.syncCallsTooSoon()).isZero();
        assertThat(asked).allMatch(CompletableFuture::isDone);
    }

    @Test
    void manyLocksAskedForAtOnceAreOneRequestNotSeveralIdBatches() {
        List<String> serials = harness.account("home", "key-home", 120);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(3));

        List<CompletableFuture<MirroredLock>> asked = serials.stream().map(harness.engine::requestSync).toList();
        harness.advance(Duration.ofSeconds(30));

        assertThat(asked).allMatch(CompletableFuture::isDone);
        assertThat(syncsWithinTheFloor(harness.requests("home"))).isEmpty();
    }

    @Test
    void theDefaultIntervalStaysTwentySeconds() {
        harness.account("home", "key-home", 2);
        harness.start(b -> b.account(harness.config("home", "key-home")));

        harness.advance(Duration.ofMinutes(10));

        List<Instant> syncs = harness.requests("home").stream().filter(EngineHarness::isSyncAll).map(RecordedRequest::at).toList();
        assertThat(syncs).hasSizeBetween(29, 31);
        assertThat(Duration.between(syncs.get(0), syncs.get(1))).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void syncAvailableInCountsFromTheAccountsLastSyncOfAnyLock() {
        List<String> serials = harness.account("home", "key-home", 2);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(3));
        assertThat(harness.engine.syncAllowedAt(serials.get(1))).as("never synced: allowed since always").contains(Instant.EPOCH);
        CompletableFuture<MirroredLock> first = harness.engine.requestSync(serials.get(0));
        harness.advance(Duration.ofSeconds(8)); // get-all at 0 is no sync: the single goes out at once
        assertThat(first).isDone();

        Duration wait = harness.engine.syncAvailableIn(serials.get(1)).orElseThrow();

        assertThat(wait).as("another lock of the same account waits for the account's floor")
                .isGreaterThan(Duration.ofSeconds(1)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        Instant floorEnd = harness.time.instant().plus(wait);
        assertThat(harness.engine.syncAllowedAt(serials.get(1))).as("the floor's end, as an instant").contains(floorEnd);
        harness.advance(Duration.ofSeconds(5)); // past it (and before the next sync-all, due 20 s after the start)
        assertThat(harness.engine.syncAvailableIn(serials.get(1))).contains(Duration.ZERO);
        assertThat(harness.engine.syncAllowedAt(serials.get(1))).as("once passed it stays where it was, until the next sync")
                .contains(floorEnd);
        assertThat(harness.engine.syncAllowedAt("NO-SUCH-LOCK")).isEmpty();
    }
}
