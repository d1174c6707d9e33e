package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.Endpoint;
import io.tedeesync.client.OperationType;
import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An account added with the {@link CallHistory} a previous owner's calls left keeps the API's rules as
 * if it had never changed hands (the floor, a pause Tedee asked for, the budget), and
 * {@link SyncEngine#callHistory} reports what an account's own calls leave: against the simulated cloud
 * in virtual time.
 */
class CallHistoryTest {
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    /** What a store would have kept of these locks: as a list once showed them, under their current ids. */
    static List<MirroredLock> stored(EngineHarness harness, String account, List<String> serials) {
        Mirror saved = new Mirror(account);
        saved.apply(new Observation.LockList(serials.stream().map(serial -> Locks.lock(harness.simulator.lock(serial).id(), serial).build())
                .toList()), EngineHarness.START.minus(Duration.ofDays(1)));
        return saved.locks();
    }

    private AccountStatus status(String account) {
        return harness.engine.account(account).orElseThrow();
    }

    private List<RecordedRequest> syncs(String account) {
        return harness.requests(account).stream().filter(SyncFloorTest::isAnySync).toList();
    }

    private static int total(CallHistory history) {
        return history.requestsPerMinute().values().stream().mapToInt(Integer::intValue).sum();
    }

    // ---- adding with a history ----

    @ParameterizedTest(name = "{0} lock(s) asked for")
    @ValueSource(ints = {1, 2, 25}) // a single-lock sync, an ?id= sync, and a sync-all (more than 20 locks)
    void anAccountWhoseLastSyncWasThreeSecondsAgoSyncsInNoFormUntilTenSecondsAfterIt(int asked) {
        List<String> serials = harness.account("home", "key-home", 25);
        harness.start(b -> b);
        harness.advance(Duration.ofSeconds(30));
        Instant added = harness.time.instant();
        Instant lastSyncAt = added.minusSeconds(3);

        harness.engine.addAccount(harness.config("home", "key-home"), List.of(), new CallHistory(lastSyncAt, null, new TreeMap<>()));
        harness.time.runDue();

        assertThat(harness.requests("home")).as("the first lock list is no sync: it goes at once").singleElement()
                .satisfies(list -> {
                    assertThat(EngineHarness.isGetAll(list)).isTrue();
                    assertThat(list.at()).isEqualTo(added);
                });
        List<CompletableFuture<MirroredLock>> requested = serials.subList(0, asked).stream().map(harness.engine::requestSync).toList();
        assertThat(harness.engine.syncAvailableIn(serials.get(0))).contains(Duration.ofSeconds(7));
        assertThat(harness.engine.syncAllowedAt(serials.get(0))).contains(lastSyncAt.plus(SyncSettings.SYNC_FLOOR));
        harness.advance(Duration.ofSeconds(15));

        RecordedRequest first = syncs("home").get(0);
        assertThat(first.at()).as("10 s after the previous owner's last sync, not before").isEqualTo(lastSyncAt.plus(SyncSettings.SYNC_FLOOR));
        if (asked == 1) {
            assertThat(first.path()).matches(".*/my/lock/\\d+/sync");
        } else if (asked == 2) {
            assertThat(first.path()).endsWith("/my/lock/sync");
            assertThat(first.query()).contains("id");
        } else {
            assertThat(EngineHarness.isSyncAll(first)).as("one sync-all for 25 locks").isTrue();
        }
        assertThat(requested).allMatch(CompletableFuture::isDone);
        assertThat(SyncFloorTest.syncsWithinTheFloor(harness.requests("home"))).isEmpty();
    }

    @Test
    void anAccountTedeeAskedToPauseMakesNoCallAtAllBeforeTheEndOfThePause() {
        List<String> serials = harness.account("home", "key-home", 1);
        harness.start(b -> b);
        harness.advance(Duration.ofSeconds(30));
        Instant blockedUntil = harness.time.instant().plus(Duration.ofMinutes(2));

        harness.engine.addAccount(harness.config("home", "key-home"), stored(harness, "home", serials),
                new CallHistory(null, blockedUntil, new TreeMap<>()));
        CompletableFuture<OperationOutcome> unlock = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        CompletableFuture<MirroredLock> sync = harness.engine.requestSync(serials.get(0));
        harness.time.runDue();

        assertThat(status("home").blockedUntil()).isEqualTo(blockedUntil);
        assertThat(harness.engine.syncAvailableIn(serials.get(0))).contains(Duration.ofMinutes(2));
        assertThat(harness.engine.syncAllowedAt(serials.get(0))).as("the pause's end, past the floor").contains(blockedUntil);
        assertThat(unlock).as("it cannot wait 2 minutes: refused as after a 429").isCompletedWithValueMatching(
                outcome -> outcome.status() == OperationOutcome.Status.REJECTED && outcome.message().contains("Tedee asked for no calls until"));
        harness.advance(Duration.ofMinutes(2).minusSeconds(1));
        assertThat(harness.requests("home")).as("no call of any kind inside the pause").isEmpty();
        assertThat(sync).isNotDone();

        harness.advance(Duration.ofSeconds(15));

        assertThat(harness.requests("home")).isNotEmpty();
        assertThat(harness.requests("home").get(0).at()).isEqualTo(blockedUntil);
        assertThat(EngineHarness.isGetAll(harness.requests("home").get(0))).isTrue();
        assertThat(sync).isDone();
        assertThat(harness.requests("home")).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void requestsHandedOverCountInTheBudgetAsIfTheAccountHadMadeThem() {
        harness.account("home", "key-home", 1);
        harness.start(b -> b);
        Instant added = harness.time.instant(); // 10:00:00
        SortedMap<Instant, Integer> minutes = new TreeMap<>();
        minutes.put(added.minus(Duration.ofMinutes(50)), 140); // 09:10, in the budget until 10:11
        minutes.put(added.minus(Duration.ofMinutes(10)), 550); // 09:50, until 10:51

        harness.engine.addAccount(harness.config("home", "key-home"), List.of(), new CallHistory(null, null, minutes));
        harness.time.runDue();

        assertThat(status("home").requestsLastHour()).isEqualTo(690);
        assertThat(harness.engine.callHistory("home").orElseThrow().requestsPerMinute()).isEqualTo(minutes);
        harness.advance(Duration.ofMinutes(11).minusSeconds(1));
        assertThat(harness.requests("home")).as("690 of the 600 polling may use: held, as if it had made them").isEmpty();

        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.requests("home")).as("the 140 of 09:10 are out of the hour: it starts").singleElement()
                .satisfies(list -> assertThat(list.at()).isEqualTo(added.plus(Duration.ofMinutes(11))));
        assertThat(status("home").requestsLastHour()).isEqualTo(551);
        assertThat(status("home").effectiveInterval()).as("49 polling requests left for the hour: 3600 s / 49")
                .isEqualTo(Duration.ofMillis(3_600_000 / 49));
        assertThat(status("home").budgetLimited()).isTrue();

        harness.advance(Duration.ofMinutes(30));
        List<Instant> stretched = harness.requests("home").stream().filter(EngineHarness::isSyncAll).map(RecordedRequest::at).toList();
        assertThat(stretched).hasSizeGreaterThan(10);
        for (int i = 1; i < stretched.size(); i++) {
            assertThat(Duration.between(stretched.get(i - 1), stretched.get(i))).as("stretched, not every 20 s").isGreaterThan(Duration.ofSeconds(70));
        }
        assertThat(status("home").requestsLastHour()).isEqualTo(550 + harness.requests("home").size());

        harness.advance(Duration.ofMinutes(15)); // 10:56: the 550 of 09:50 are out of the hour too
        List<Instant> late = harness.requests("home").stream().filter(EngineHarness::isSyncAll).map(RecordedRequest::at)
                .filter(at -> at.isAfter(added.plus(Duration.ofMinutes(52)))).toList();
        assertThat(late).hasSizeGreaterThan(5);
        assertThat(Duration.between(late.get(late.size() - 2), late.get(late.size() - 1))).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void requestsOfAMinuteAheadOfThisClockCountAtOnce() {
        harness.account("home", "key-home", 1);
        harness.start(b -> b);
        harness.advance(Duration.ofSeconds(30));
        SortedMap<Instant, Integer> minutes = new TreeMap<>();
        minutes.put(harness.time.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2)), 40); // the other owner's clock ran ahead
        minutes.put(harness.time.instant().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES), 300); // out of the hour: nothing

        harness.engine.addAccount(harness.config("home", "key-home"), List.of(), new CallHistory(null, null, minutes));

        assertThat(status("home").requestsLastHour()).isEqualTo(40);
        assertThat(harness.engine.callHistory("home").orElseThrow().requestsPerMinute())
                .containsExactly(java.util.Map.entry(harness.time.instant().truncatedTo(ChronoUnit.MINUTES), 40));
    }

    @Test
    void requestsInTheHourBeforeCountTheMinutesTheBudgetCounts() {
        Instant minute = Instant.parse("2026-11-25T09:10:00Z");
        CallHistory history = new CallHistory(null, null, new TreeMap<>(java.util.Map.of(minute, 140, minute.plus(Duration.ofMinutes(40)), 550)));

        assertThat(history.requestsInHourBefore(Instant.parse("2026-11-25T10:10:59.999Z"))).isEqualTo(690);
        assertThat(history.requestsInHourBefore(Instant.parse("2026-11-25T10:11:00Z")))
                .as("a minute counts until an hour after it ended: the engine started on the dot (above)").isEqualTo(550);
        assertThat(history.requestsInHourBefore(Instant.parse("2026-11-25T09:50:00Z"))).as("a minute counts from its start").isEqualTo(690);
        assertThat(history.requestsInHourBefore(Instant.parse("2026-11-25T09:49:59Z"))).isEqualTo(140);
    }

    // ---- what an account's calls leave ----

    @Test
    void callHistoryReportsTheLastSyncThePauseTedeeAskedForAndTheBudgetsMinutes() {
        harness.account("home", "key-home", 2);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        assertThat(harness.engine.callHistory("nobody")).isEmpty();
        harness.advance(Duration.ofMinutes(1).plusSeconds(25)); // list at 0, sync-alls every 20 s, the last at 1:20

        CallHistory history = harness.engine.callHistory("home").orElseThrow();

        List<RecordedRequest> requests = harness.requests("home");
        assertThat(history.lastSyncAt()).isEqualTo(syncs("home").get(syncs("home").size() - 1).at())
                .isEqualTo(EngineHarness.START.plus(Duration.ofSeconds(80)));
        assertThat(history.blockedUntil()).isNull();
        SortedMap<Instant, Integer> perMinute = new TreeMap<>();
        requests.forEach(r -> perMinute.merge(r.at().truncatedTo(ChronoUnit.MINUTES), 1, Integer::sum));
        assertThat(history.requestsPerMinute()).isEqualTo(perMinute);
        assertThat(history.requestsInHourBefore(harness.time.instant())).isEqualTo(status("home").requestsLastHour()).isEqualTo(requests.size());

        harness.simulator.injectFault(Fault.rateLimited(Duration.ofMinutes(7)), 1);
        harness.advance(Duration.ofSeconds(20));
        Instant limitedAt = harness.requests("home").stream().filter(r -> r.status() == 429).findFirst().orElseThrow().at();
        CallHistory paused = harness.engine.callHistory("home").orElseThrow();
        assertThat(paused.blockedUntil()).isEqualTo(status("home").blockedUntil()).isAfterOrEqualTo(limitedAt.plus(Duration.ofMinutes(7)));
        assertThat(paused.lastSyncAt()).as("the refused sync-all was sent all the same").isEqualTo(limitedAt);

        harness.advance(Duration.ofMinutes(15));
        assertThat(harness.engine.callHistory("home").orElseThrow().blockedUntil()).as("only while the pause lasts").isNull();
    }

    @Test
    void aSyncOnItsWayCountsAsMadeNowUntilItEnds() {
        harness.account("home", "key-home", 1);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(5));
        harness.time.hangAfter(Duration.ofMillis(300));
        harness.simulator.injectFault(Fault.aimedAt("GET", "/my/lock/sync", Fault.slow(Duration.ofSeconds(20))), 1);
        harness.advance(Duration.ofSeconds(15)); // the sync-all at 20 s gets no answer; the engine gives up 2 min later
        Instant sentAt = EngineHarness.START.plusSeconds(20);

        harness.time.advance(Duration.ofSeconds(30));

        assertThat(harness.engine.callHistory("home").orElseThrow().lastSyncAt()).as("its end, which the floor counts from, is still to come")
                .isEqualTo(harness.time.instant()).isEqualTo(sentAt.plusSeconds(30));
        harness.time.advance(Duration.ofSeconds(90)); // to the deadline, before the retry after backoff
        assertThat(harness.engine.callHistory("home").orElseThrow().lastSyncAt()).as("from its end once it ended (the deadline)")
                .isEqualTo(sentAt.plus(Duration.ofMinutes(2)));
    }

    @Test
    void aCallOnItsWayCountsAsARequestBeforeTheBudgetCountsIt() {
        harness.account("home", "key-home", 1);
        AccountConfig home = harness.config("home", "key-home");
        AtomicBoolean look = new AtomicBoolean();
        List<CallHistory> whileOnItsWay = Collections.synchronizedList(new ArrayList<>());
        // Told once the answer is in, before the budget (listeners go in order) and before the engine has it.
        home.client().requestListener((endpoint, status, latency) -> {
            if (endpoint == Endpoint.SYNC_LOCKS && look.compareAndSet(true, false)) {
                whileOnItsWay.add(harness.engine.callHistory("home").orElseThrow());
            }
        });
        harness.start(b -> b.account(home));
        harness.advance(Duration.ofSeconds(5));
        look.set(true);

        harness.advance(Duration.ofSeconds(20));

        Optional<CallHistory> after = harness.engine.callHistory("home");
        assertThat(whileOnItsWay).singleElement().satisfies(during -> {
            assertThat(total(during)).as("the sync-all on its way is in it").isEqualTo(total(after.orElseThrow())).isEqualTo(2);
            assertThat(during.lastSyncAt()).isEqualTo(EngineHarness.START.plusSeconds(20));
        });
    }
}
