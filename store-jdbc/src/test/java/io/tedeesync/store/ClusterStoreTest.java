package io.tedeesync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tedeesync.sync.CallHistory;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster's tables on a real PostgreSQL: leases, their tokens and expiry on the database's clock,
 * the history handed from owner to owner in each instance's own clock, instances and their heartbeats.
 */
class ClusterStoreTest {
    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration LONG = Duration.ofSeconds(30);
    /** An instance clock an hour ahead of the database's (which is the real time). */
    private static final Clock AHEAD = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    /** How late a converted time may come back: two measured round trips to a local database, with room. */
    private static final long SLACK_MS = 1_000;

    private final ClusterDatabase database = new ClusterDatabase();
    private final LockStore store = database.open();
    private final ClusterStore cluster = store.cluster(Clock.systemUTC());

    @AfterEach
    void close() {
        database.close();
    }

    private static CallHistory history(Clock clock) {
        Instant now = clock.instant();
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        TreeMap<Instant, Integer> budget = new TreeMap<>(Map.of(minute.minus(Duration.ofMinutes(2)), 3,
                minute.minus(Duration.ofMinutes(1)), 5, minute, 1));
        return new CallHistory(now.minusSeconds(5), now.plusSeconds(30), budget);
    }

    /** {@code actual} is {@code expected}, or later by no more than the conversions' slack (never earlier). */
    private static void assertLateByLittle(Instant actual, Instant expected) {
        assertThat(actual).isBetween(expected, expected.plusMillis(SLACK_MS));
    }

    private void awaitExpired(String account) {
        await().untilAsserted(() -> assertThat(cluster.leases()).filteredOn(lease -> lease.account().equals(account))
                .singleElement().satisfies(lease -> assertThat(lease.expired()).isTrue()));
    }

    @Test
    void aFreeLeaseIsAcquiredWithTheNextTokenAndAnUnexpiredOneByNobodyElse() {
        cluster.addAccounts(List.of("home"));

        Optional<Lease> first = cluster.acquire("home", "a", LONG);

        assertThat(first).contains(new Lease("home", 1, CallHistory.NONE, null, false));
        assertThat(cluster.acquire("home", "b", LONG)).as("held by a").isEmpty();
        assertThat(cluster.acquire("home", "a", LONG)).as("held by a, asked by a").isEmpty();
        assertThat(cluster.acquire("unknown", "a", LONG)).as("no lease row").isEmpty();
        assertThat(cluster.leases()).containsExactly(new LeaseRow("home", "a", 1, false));
    }

    @Test
    void manyLeasesAreTakenAtOnceTheFreeAndExpiredOnesWithTheirHistoriesAndNoneHeld() {
        cluster.addAccounts(List.of("free", "released", "expired", "held"));
        CallHistory history = history(Clock.systemUTC());
        Lease released = cluster.acquire("released", "a", LONG).orElseThrow();
        cluster.release("released", "a", released.fencing(), history);
        Lease expired = cluster.acquire("expired", "a", SHORT).orElseThrow();
        cluster.acquire("held", "a", LONG).orElseThrow();
        awaitExpired("expired");

        Map<String, Lease> taken = cluster.acquireAll(List.of("free", "released", "expired", "held", "unknown"), "b", LONG);

        assertThat(taken).containsOnlyKeys("free", "released", "expired");
        assertThat(taken.get("free")).isEqualTo(new Lease("free", 1, CallHistory.NONE, null, false));
        assertThat(taken.get("released").fencing()).isEqualTo(2);
        assertLateByLittle(taken.get("released").history().lastSyncAt(), history.lastSyncAt());
        assertThat(taken.get("released").history().requestsPerMinute()).isEqualTo(history.requestsPerMinute());
        Lease tookOver = taken.get("expired");
        assertThat(tookOver.fencing()).isEqualTo(expired.fencing() + 1);
        assertThat(tookOver.previousOwner()).isEqualTo("a");
        assertThat(tookOver.tookExpired()).isTrue();
        assertThat(tookOver.history().lastSyncAt()).as("the old owner may have synced until its lease ended").isNotNull();
        assertThat(cluster.leases()).extracting(LeaseRow::account, LeaseRow::owner)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("free", "b"), org.assertj.core.groups.Tuple.tuple("released", "b"),
                        org.assertj.core.groups.Tuple.tuple("expired", "b"), org.assertj.core.groups.Tuple.tuple("held", "a"));
        assertThat(cluster.acquireAll(List.of("free", "held"), "c", LONG)).as("all held now").isEmpty();
    }

    @Test
    void aLeaseRowIsRemovedAsALeftoverOnlyWhileNobodyHoldsIt() {
        cluster.addAccounts(List.of("held", "free"));
        cluster.acquire("held", "a", LONG).orElseThrow();

        assertThat(cluster.removeAccountIfFree("held")).as("held by a").isFalse();
        assertThat(cluster.removeAccountIfFree("free")).isTrue();
        assertThat(cluster.removeAccountIfFree("free")).as("gone").isFalse();
        assertThat(cluster.leases()).extracting(LeaseRow::account).containsExactly("held");
    }

    @Test
    void aNewAccountsLeaseIsMadeAlreadyTakenAndAnExistingHeldOneIsNotTaken() {
        assertThat(cluster.addAndAcquire("new", "a", LONG)).contains(new Lease("new", 1, CallHistory.NONE, null, false));
        assertThat(cluster.addAndAcquire("new", "b", LONG)).as("held by a").isEmpty();
        assertThat(cluster.leases()).containsExactly(new LeaseRow("new", "a", 1, false));
    }

    @Test
    void aReleasedLeaseIsFreeAndItsNextOwnerGetsTheHistoryIntact() {
        cluster.addAccounts(List.of("home"));
        Lease lease = cluster.acquire("home", "a", LONG).orElseThrow();
        CallHistory history = history(Clock.systemUTC());

        assertThat(cluster.release("home", "a", lease.fencing() + 1, history)).as("another token").isFalse();
        assertThat(cluster.release("home", "b", lease.fencing(), history)).as("another owner").isFalse();
        assertThat(cluster.leases()).containsExactly(new LeaseRow("home", "a", 1, false));
        assertThat(cluster.release("home", "a", lease.fencing(), history)).isTrue();
        assertThat(cluster.leases()).containsExactly(new LeaseRow("home", null, 1, true));
        assertThat(cluster.release("home", "a", lease.fencing(), CallHistory.NONE)).as("released already").isFalse();

        Lease next = cluster.acquire("home", "b", LONG).orElseThrow();

        assertThat(next.fencing()).isEqualTo(2);
        assertThat(next.previousOwner()).isNull();
        assertThat(next.tookExpired()).isFalse();
        assertLateByLittle(next.history().lastSyncAt(), history.lastSyncAt());
        assertLateByLittle(next.history().blockedUntil(), history.blockedUntil());
        assertThat(next.history().requestsPerMinute()).isEqualTo(history.requestsPerMinute());
    }

    @Test
    void aHistoryComesBackInTheClockItWentInWithAndIsStoredInTheDatabasesClock() throws SQLException {
        ClusterStore ahead = store.cluster(AHEAD);
        ahead.addAccounts(List.of("home"));
        Lease lease = ahead.acquire("home", "a", SHORT).orElseThrow();
        CallHistory sent = history(AHEAD);
        // Later than the lease's end, so that the takeover below keeps it as it is.
        CallHistory history = new CallHistory(sent.lastSyncAt().plus(Duration.ofMinutes(1)), sent.blockedUntil(),
                sent.requestsPerMinute());

        ahead.saveHistories("a", Map.of("home", new FencedHistory(lease.fencing(), history, "{\"state\":\"ok\"}")));

        long hour = Duration.ofHours(1).toMillis();
        long stored = database.number("SELECT last_sync_at FROM account_lease WHERE account = 'home'");
        assertThat(stored).isBetween(history.lastSyncAt().toEpochMilli() - hour,
                history.lastSyncAt().toEpochMilli() - hour + SLACK_MS);
        Instant firstMinute = history.requestsPerMinute().firstKey();
        assertThat(database.text("SELECT budget FROM account_lease WHERE account = 'home'"))
                .startsWith("[[" + (firstMinute.toEpochMilli() - hour) + ",3],");
        assertThat(ahead.statuses()).containsExactly(Map.entry("home", "{\"state\":\"ok\"}"));
        awaitExpired("home");

        Lease takenOver = store.cluster(AHEAD).acquire("home", "b", LONG).orElseThrow();

        assertLateByLittle(takenOver.history().lastSyncAt(), history.lastSyncAt());
        assertLateByLittle(takenOver.history().blockedUntil(), history.blockedUntil());
        assertThat(takenOver.history().requestsPerMinute()).isEqualTo(history.requestsPerMinute());

        // An instance whose clock is the database's sees the same moments an hour earlier.
        assertThat(ahead.release("home", "b", takenOver.fencing(), takenOver.history())).isTrue();
        Lease inRealTime = cluster.acquire("home", "c", LONG).orElseThrow();
        assertLateByLittle(inRealTime.history().lastSyncAt(), history.lastSyncAt().minus(Duration.ofHours(1)));
        TreeMap<Instant, Integer> hourEarlier = new TreeMap<>();
        history.requestsPerMinute().forEach((minute, count) -> hourEarlier.put(minute.minus(Duration.ofHours(1)), count));
        assertThat(inRealTime.history().requestsPerMinute()).isEqualTo(hourEarlier);
    }

    @Test
    void takingOverAnExpiredLeaseCountsTheLastSyncFromTheOldLeasesEnd() throws SQLException {
        cluster.addAccounts(List.of("home"));
        Lease old = cluster.acquire("home", "a", SHORT).orElseThrow();
        Instant longAgo = Instant.now().minus(Duration.ofHours(2));
        cluster.saveHistories("a", Map.of("home", new FencedHistory(old.fencing(),
                new CallHistory(longAgo, null, new TreeMap<>()), null)));
        Instant oldEnd = Instant.ofEpochMilli(database.number("SELECT expires_at FROM account_lease WHERE account = 'home'"));
        awaitExpired("home");

        Lease lease = store.cluster(AHEAD).acquire("home", "b", LONG).orElseThrow();

        assertThat(lease.previousOwner()).isEqualTo("a");
        assertThat(lease.tookExpired()).isTrue();
        assertThat(lease.fencing()).isEqualTo(2);
        assertLateByLittle(lease.history().lastSyncAt(), oldEnd.plus(Duration.ofHours(1)));
        assertThat(lease.history().blockedUntil()).isNull();
        assertThat(cluster.leases()).containsExactly(new LeaseRow("home", "b", 2, false));
    }

    @Test
    void aHeartbeatRenewsOnlyTheLeasesStillHeldWithTheirToken() throws SQLException {
        cluster.addAccounts(List.of("home", "cabin", "office"));
        long homeToken = cluster.acquire("home", "a", SHORT).orElseThrow().fencing();
        long cabinToken = cluster.acquire("cabin", "a", SHORT).orElseThrow().fencing();
        long officeToken = cluster.acquire("office", "b", SHORT).orElseThrow().fencing();
        long cabinExpiry = database.number("SELECT expires_at FROM account_lease WHERE account = 'cabin'");
        long officeExpiry = database.number("SELECT expires_at FROM account_lease WHERE account = 'office'");

        long before = database.dbNow();
        assertThat(cluster.heartbeat("a", Duration.ofMinutes(1), Map.of("home", homeToken, "cabin", cabinToken + 1,
                "office", officeToken, "gone", 1L))).containsExactly("home");

        assertThat(database.number("SELECT expires_at FROM account_lease WHERE account = 'home'"))
                .isBetween(before + 60_000, database.dbNow() + 60_000);
        assertThat(database.number("SELECT expires_at FROM account_lease WHERE account = 'cabin'")).isEqualTo(cabinExpiry);
        assertThat(database.number("SELECT expires_at FROM account_lease WHERE account = 'office'")).isEqualTo(officeExpiry);
        assertThat(cluster.heartbeat("a", LONG, Map.of())).isEmpty();
    }

    @Test
    void threeThousandLeasesAreAddedRenewedAndSavedInOneStatementEach() throws SQLException {
        List<String> accounts = IntStream.range(0, 3000).mapToObj(i -> "account-" + i).toList();
        database.countLeaseStatements();

        cluster.addAccounts(accounts);
        cluster.addAccounts(accounts);

        assertThat(database.leaseStatements("INSERT")).isEqualTo(2);
        assertThat(cluster.leases()).hasSize(3000).allSatisfy(lease -> assertThat(lease.owner()).isNull());
        database.execute("UPDATE account_lease SET owner = 'a', fencing = 7");
        Map<String, Long> held = new HashMap<>();
        Map<String, FencedHistory> histories = new HashMap<>();
        accounts.forEach(account -> {
            held.put(account, 7L);
            histories.put(account, new FencedHistory(7, history(Clock.systemUTC()), "{\"name\":\"" + account + "\"}"));
        });
        long updates = database.leaseStatements("UPDATE");

        assertThat(cluster.heartbeat("a", LONG, held)).hasSize(3000);
        assertThat(database.leaseStatements("UPDATE")).isEqualTo(updates + 1);
        cluster.saveHistories("a", histories);
        assertThat(database.leaseStatements("UPDATE")).isEqualTo(updates + 2);

        assertThat(cluster.leases()).allSatisfy(lease -> assertThat(lease.expired()).isFalse());
        assertThat(cluster.statuses()).hasSize(3000).containsEntry("account-42", "{\"name\":\"account-42\"}");
    }

    @Test
    void addingIsIdempotentAndLeavesHeldLeasesAsTheyAre() {
        cluster.addAccounts(List.of("home", "cabin", "home"));
        cluster.acquire("home", "a", LONG).orElseThrow();

        cluster.addAccounts(List.of("home", "office"));

        assertThat(cluster.leases()).containsExactly(new LeaseRow("cabin", null, 0, true),
                new LeaseRow("home", "a", 1, false), new LeaseRow("office", null, 0, true));
        assertThat(cluster.removeAccount("home")).isTrue();
        assertThat(cluster.removeAccount("home")).isFalse();
        assertThat(cluster.leases()).extracting(LeaseRow::account).containsExactly("cabin", "office");
        assertThat(cluster.acquire("home", "a", LONG)).isEmpty();
    }

    @Test
    void historiesAndStatusesAreSavedOnlyForLeasesStillHeldWithTheirToken() {
        cluster.addAccounts(List.of("home", "cabin"));
        long home = cluster.acquire("home", "a", LONG).orElseThrow().fencing();
        long cabin = cluster.acquire("cabin", "b", LONG).orElseThrow().fencing();
        CallHistory history = history(Clock.systemUTC());

        cluster.saveHistories("a", Map.of("home", new FencedHistory(home + 1, history, "{\"wrong\":\"token\"}"),
                "cabin", new FencedHistory(cabin, history, "{\"wrong\":\"owner\"}")));
        assertThat(cluster.statuses()).isEmpty();

        cluster.saveHistories("a", Map.of("home", new FencedHistory(home, history, "{\"right\":true}")));
        cluster.saveHistories("b", Map.of("cabin", new FencedHistory(cabin, CallHistory.NONE, null)));

        assertThat(cluster.statuses()).containsExactly(Map.entry("home", "{\"right\":true}"));
        assertThat(cluster.release("home", "a", home, history)).isTrue();
        assertThat(cluster.statuses()).as("a release keeps the status for the views").containsKey("home");
        assertThat(cluster.acquire("cabin", "c", LONG)).isEmpty();
    }

    @Test
    void instancesAreAliveWhileTheyBeatAndForgottenAfterAnHourDead() throws SQLException {
        ClusterStore ahead = store.cluster(AHEAD);
        Instant before = AHEAD.instant();
        ahead.join("a", "http://a:8080");
        ahead.join("b", "http://b:8080");
        Instant after = AHEAD.instant();

        List<ClusterInstance> instances = ahead.instances(LONG);

        assertThat(instances).extracting(ClusterInstance::id, ClusterInstance::url, ClusterInstance::alive)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "http://a:8080", true),
                        org.assertj.core.groups.Tuple.tuple("b", "http://b:8080", true));
        assertThat(instances).allSatisfy(instance -> assertThat(instance.startedAt())
                .isBetween(before, after.plusMillis(SLACK_MS)));
        await().untilAsserted(() -> {
            ahead.heartbeat("a", LONG, Map.of());
            assertThat(ahead.instances(Duration.ofMillis(300))).extracting(ClusterInstance::id, ClusterInstance::alive)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", true),
                            org.assertj.core.groups.Tuple.tuple("b", false));
        });

        database.execute("UPDATE cluster_instance SET heartbeat_at = heartbeat_at - 3600000 WHERE id = 'b'");
        assertThat(ahead.instances(Duration.ofMillis(300))).extracting(ClusterInstance::id).containsExactly("a");
        assertThat(database.number("SELECT COUNT(*) FROM cluster_instance WHERE id = 'b'")).as("deleted").isZero();

        // A row deleted while its instance was paused comes back with its next heartbeat.
        database.execute("DELETE FROM cluster_instance WHERE id = 'a'");
        ahead.heartbeat("a", LONG, Map.of());
        assertThat(ahead.instances(LONG)).extracting(ClusterInstance::id, ClusterInstance::url)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "http://a:8080"));
        ahead.leave("a");
        assertThat(ahead.instances(LONG)).isEmpty();
    }

    @Test
    void theOwnerUrlIsThatOfTheLiveOwnerOfAnUnexpiredLease() {
        cluster.join("a", "http://a:8080");
        cluster.addAccounts(List.of("home", "cabin", "shed"));
        cluster.acquire("home", "a", LONG).orElseThrow();
        cluster.acquire("shed", "a", SHORT).orElseThrow();

        assertThat(cluster.ownerUrl("home")).contains("http://a:8080");
        assertThat(cluster.ownerUrl("cabin")).as("free").isEmpty();
        assertThat(cluster.ownerUrl("nowhere")).isEmpty();
        await().untilAsserted(() -> assertThat(cluster.ownerUrl("shed")).as("expired").isEmpty());
        cluster.leave("a");
        assertThat(cluster.ownerUrl("home")).as("its owner left").isEmpty();
    }

    @Test
    void durationsMustBePositiveAndAClosedStoreRefusesTheCluster() {
        assertThatThrownBy(() -> cluster.acquire("home", "a", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cluster.heartbeat("a", Duration.ofMillis(-1), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        List<Runnable> calls = new ArrayList<>();
        calls.add(cluster::leases);
        calls.add(() -> cluster.join("a", "http://a"));
        store.close();

        assertThat(calls).allSatisfy(call -> assertThatThrownBy(call::run).isInstanceOf(StoreException.class)
                .hasMessageContaining("is closed"));
        assertThatThrownBy(() -> store.cluster(Clock.systemUTC())).isInstanceOf(StoreException.class)
                .hasMessageContaining("is closed");
    }
}
