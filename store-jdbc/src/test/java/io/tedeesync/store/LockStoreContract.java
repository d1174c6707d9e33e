package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.T0;
import static io.tedeesync.store.Fixtures.adding;
import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static io.tedeesync.store.Fixtures.moving;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.LockSettings;
import io.tedeesync.client.LockState;
import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every database of the store must do; run once on SQLite and once on PostgreSQL by the
 * subclasses, each on a fresh database per test.
 */
abstract class LockStoreContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<LockStore> opened = new ArrayList<>();

    /** The configuration of this test's database: every call names the same one. */
    abstract StoreConfig config();

    /** A connection of the test's own, beside the store's, to look at or tamper with the database. */
    abstract Connection rawConnection() throws SQLException;

    /** Statements that make every insert of an event of serial {@code POISON} fail inside the database. */
    abstract List<String> poisonTrigger();

    /** What {@link LockStore#describe()} must say. */
    abstract String expectedDescription();

    LockStore open() {
        LockStore store = LockStore.open(config());
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(LockStore::close);
    }

    @Test
    void aBatchThatFailsMidwayLeavesNeitherItsEventsNorItsSnapshotChanges() throws SQLException {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        store.onChanges(adding(door, at(1)));
        execute(poisonTrigger());

        // The snapshot upserts and the first event insert run before the poisoned event fails.
        MirroredLock poison = lock("home", "POISON", 2, LockState.UNLOCKED);
        ChangeBatch moved = moving(door, LockState.UNLOCKED, at(2));
        List<SyncEvent> events = new ArrayList<>(moved.events());
        events.add(Fixtures.added(poison, at(2)));
        ChangeBatch failing = new ChangeBatch("home", at(2), events, List.of(moved.changed().get(0), poison), Set.of());

        assertThatThrownBy(() -> store.onChanges(failing))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("account home")
                .hasMessageContaining("poison");
        assertThat(store.loadLocks()).isEqualTo(Map.of("home", List.of(door)));
        assertThat(store.events(EventQuery.after(0, 100))).extracting(StoredEvent::type).containsExactly("Added");
        assertThat(count("SELECT COUNT(*) FROM lock_event")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM lock_snapshot")).isEqualTo(1);
        assertThat(store.lastEventId()).isEqualTo(1);

        // The failed batch gave away no ids.
        store.onChanges(moved);
        assertThat(store.events(EventQuery.after(0, 100))).extracting(StoredEvent::id).containsExactly(1L, 2L);
        assertThat(store.loadLocks().get("home")).containsExactly(moved.changed().get(0));
    }

    @Test
    void aRowWrittenBehindTheStoresBackFailsOneBatchAndTheNextContinuesAfterIt() throws SQLException {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        store.onChanges(adding(door, at(1)));
        execute(List.of("INSERT INTO lock_event (id, account, type, occurred_at, observed_at, source, json) "
                + "VALUES (2, 'elsewhere', 'Foreign', 0, 0, 'ENGINE', '{}')"));

        assertThatThrownBy(() -> store.onChanges(moving(door, LockState.UNLOCKED, at(2))))
                .isInstanceOf(StoreException.class);
        assertThat(store.loadLocks().get("home")).containsExactly(door);

        ChangeBatch next = moving(door, LockState.UNLOCKED, at(3));
        store.onChanges(next);
        assertThat(store.lastEventId()).isEqualTo(3);
        assertThat(store.events(EventQuery.after(2, 10))).extracting(StoredEvent::id, StoredEvent::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "StateChanged"));
    }

    @Test
    void severalBatchesGoInOneTransactionInOrderWithConsecutiveIds() {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        MirroredLock gate = lock("cabin", "SN-GATE", 2, LockState.LOCKED);
        ChangeBatch unlocked = moving(door, LockState.UNLOCKED, at(2));
        ChangeBatch lockedAgain = moving(unlocked.changed().get(0), LockState.LOCKED, at(3));

        store.onBatches(List.of(adding(door, at(1)), adding(gate, at(1)), unlocked, lockedAgain));

        assertThat(store.events(EventQuery.after(0, 100))).extracting(StoredEvent::id, StoredEvent::account, StoredEvent::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "home", "Added"), org.assertj.core.groups.Tuple.tuple(2L, "cabin", "Added"),
                        org.assertj.core.groups.Tuple.tuple(3L, "home", "StateChanged"), org.assertj.core.groups.Tuple.tuple(4L, "home", "StateChanged"));
        assertThat(store.loadLocks().get("home")).containsExactly(lockedAgain.changed().get(0)); // the later batch's copy wins
        assertThat(store.loadLocks().get("cabin")).containsExactly(gate);
        assertThat(store.lastEventId()).isEqualTo(4);
    }

    @Test
    void aGroupWithOneFailingBatchStoresNoneOfItsBatches() throws SQLException {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        store.onChanges(adding(door, at(1)));
        execute(poisonTrigger());
        MirroredLock poison = lock("home", "POISON", 2, LockState.UNLOCKED);

        assertThatThrownBy(() -> store.onBatches(List.of(moving(door, LockState.UNLOCKED, at(2)), adding(poison, at(2)))))
                .isInstanceOf(StoreException.class).hasMessageContaining("2 change batches");

        assertThat(store.loadLocks()).isEqualTo(Map.of("home", List.of(door)));
        assertThat(count("SELECT COUNT(*) FROM lock_event")).isEqualTo(1);
        store.onBatches(List.of(moving(door, LockState.UNLOCKED, at(3))));
        assertThat(store.events(EventQuery.after(0, 100))).extracting(StoredEvent::id).containsExactly(1L, 2L); // no id given away
    }

    @Test
    void mirroredLocksRoundTripExactlyWithEveryFieldSetOrNull() {
        LockStore store = open();
        MirroredLock everything = lock("home", "SN-FULL", 101, LockState.SEMI_LOCKED);
        MirroredLock neverReported = new MirroredLock("home", "SN-NEW", 102, "New lock", 4, 0, false, false,
                null, null, at(5), null, null, null);
        // Connected but position not current; undocumented codes; nullable fields null; settings half known.
        MirroredLock odd = new MirroredLock("home", "SN-ODD", 103, "Garage", 99, Long.MAX_VALUE, true, false,
                new DeviceState(255, 42, null, null, null, null),
                new LockSettings(null, 15, null, null, false, null, null, null, null, null, null, null, null, true),
                at(6), at(-100), at(-200), null);
        MirroredLock absentState = new MirroredLock("home", "SN-ABSENT", 104, "Gate", 5, 3, false, true,
                new DeviceState(DeviceState.ABSENT, 0, 0, true, 3, Instant.ofEpochMilli(1)),
                new LockSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                Instant.ofEpochMilli(0), Instant.ofEpochMilli(-1), at(7), at(8));
        MirroredLock otherAccount = lock("office", "SN-FULL", 201, LockState.UNLOCKED);
        store.onChanges(new ChangeBatch("home", at(9), List.of(),
                List.of(everything, neverReported, odd, absentState), Set.of()));
        store.onChanges(adding(otherAccount, at(9)));

        Map<String, List<MirroredLock>> loaded = store.loadLocks();

        assertThat(loaded).containsOnlyKeys("home", "office");
        assertThat(loaded.get("home")).containsExactlyInAnyOrder(everything, neverReported, odd, absentState);
        assertThat(loaded.get("office")).containsExactly(otherAccount);
        assertThat(loaded.get("home")).filteredOn(lock -> lock.serialNumber().equals("SN-NEW"))
                .singleElement().satisfies(lock -> {
                    assertThat(lock.lastKnown()).isNull();
                    assertThat(lock.settings()).isNull();
                    assertThat(lock.state()).isNull();
                });
    }

    @Test
    void anUpsertReplacesEveryColumnOfTheStoredLock() {
        LockStore store = open();
        MirroredLock before = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(before, at(1)));
        MirroredLock after = new MirroredLock("home", "SN-1", 2, "Renamed", 4, 8, false, false,
                null, null, at(2), null, null, null);

        store.onChanges(new ChangeBatch("home", at(2), List.of(), List.of(after), Set.of()));

        assertThat(store.loadLocks().get("home")).containsExactly(after);
    }

    @Test
    void timesAreKeptToTheMillisecond() {
        LockStore store = open();
        Instant precise = Instant.parse("2024-05-01T10:00:00.123456789Z");
        MirroredLock lock = new MirroredLock("home", "SN-1", 1, "Door", 2, 1, true, true, null, null,
                precise, null, null, null);

        store.onChanges(new ChangeBatch("home", precise, List.of(), List.of(lock), Set.of()));

        assertThat(store.loadLocks().get("home").get(0).syncedAt()).isEqualTo("2024-05-01T10:00:00.123Z");
    }

    @Test
    void removedSerialsDeleteTheirSnapshotOnlyInTheirAccount() {
        LockStore store = open();
        MirroredLock home = lock("home", "SN-SHARED", 1, LockState.LOCKED);
        MirroredLock homeOther = lock("home", "SN-STAYS", 2, LockState.LOCKED);
        MirroredLock office = lock("office", "SN-SHARED", 1, LockState.LOCKED);
        store.onChanges(new ChangeBatch("home", at(1), List.of(), List.of(home, homeOther), Set.of()));
        store.onChanges(adding(office, at(1)));

        store.onChanges(new ChangeBatch("home", at(2),
                List.of(new LockEvent.Removed("home", "SN-SHARED", 1, at(2), at(2), EventSource.GET_ALL)),
                List.of(), Set.of("SN-SHARED")));

        assertThat(store.loadLocks()).isEqualTo(Map.of("home", List.of(homeOther), "office", List.of(office)));
        assertThat(store.events(EventQuery.after(0, 10).withAccount("home")))
                .extracting(StoredEvent::type).containsExactly("Removed");
    }

    @Test
    void idChangedUpdatesTheStoredLockIdUnderTheSameSerial() {
        LockStore store = open();
        MirroredLock before = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(before, at(1)));
        MirroredLock reAdded = Fixtures.withId(before, 77);

        store.onChanges(new ChangeBatch("home", at(2),
                List.of(new LockEvent.IdChanged("home", "SN-1", 77, at(2), at(2), EventSource.GET_ALL, 1)),
                List.of(reAdded), Set.of()));

        assertThat(store.loadLocks().get("home")).extracting(MirroredLock::serialNumber, MirroredLock::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SN-1", 77L));
        StoredEvent idChanged = store.events(EventQuery.after(1, 10)).get(0);
        assertThat(idChanged.lockId()).isEqualTo(77L);
        assertThat(json(idChanged).get("previousId").asLong()).isEqualTo(1);
    }

    @Test
    void eventsComeInAscendingPagesAfterTheGivenId() {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(door, at(1)));
        for (int i = 2; i <= 7; i++) {
            store.onChanges(moving(door, i % 2 == 0 ? LockState.UNLOCKED : LockState.LOCKED, at(i)));
        }

        List<StoredEvent> first = store.events(EventQuery.after(0, 3));
        List<StoredEvent> second = store.events(EventQuery.after(first.get(2).id(), 3));
        List<StoredEvent> last = store.events(EventQuery.after(second.get(2).id(), 3));

        assertThat(first).extracting(StoredEvent::id).containsExactly(1L, 2L, 3L);
        assertThat(second).extracting(StoredEvent::id).containsExactly(4L, 5L, 6L);
        assertThat(last).extracting(StoredEvent::id).containsExactly(7L);
        assertThat(store.events(EventQuery.after(7, 3))).isEmpty();
        assertThat(store.lastEventId()).isEqualTo(7);
    }

    @Test
    void eventsFilterBySerialNumberAndByAccount() {
        LockStore store = open();
        MirroredLock homeDoor = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        MirroredLock homeGate = lock("home", "SN-GATE", 2, LockState.LOCKED);
        MirroredLock officeDoor = lock("office", "SN-DOOR", 3, LockState.LOCKED);
        store.onChanges(adding(homeDoor, at(1)));                                   // 1
        store.onChanges(adding(homeGate, at(2)));                                   // 2
        store.onChanges(adding(officeDoor, at(3)));                                 // 3
        store.onChanges(moving(homeDoor, LockState.UNLOCKED, at(4)));               // 4
        store.onChanges(Fixtures.events("home", at(5), new AccountEvent.AccountDegraded("home", at(5), "HTTP 503")));
        store.onChanges(moving(officeDoor, LockState.UNLOCKED, at(6)));             // 6

        assertThat(store.events(EventQuery.after(0, 100).withSerialNumber("SN-DOOR")))
                .extracting(StoredEvent::id).containsExactly(1L, 3L, 4L, 6L);
        assertThat(store.events(EventQuery.after(0, 100).withAccount("home")))
                .extracting(StoredEvent::id).containsExactly(1L, 2L, 4L, 5L);
        assertThat(store.events(EventQuery.after(1, 100).withSerialNumber("SN-DOOR").withAccount("home")))
                .extracting(StoredEvent::id).containsExactly(4L);
        assertThat(store.events(EventQuery.after(0, 2).withSerialNumber("SN-DOOR")))
                .extracting(StoredEvent::id).containsExactly(1L, 3L);
        assertThat(store.events(EventQuery.after(0, 100).withSerialNumber("SN-NONE"))).isEmpty();
    }

    @Test
    void aStoredEventCarriesItsColumnsAndItsJsonWithItsOwnId() {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-1", 42, LockState.LOCKED);
        store.onChanges(adding(door, at(1)));
        store.onChanges(moving(door, LockState.UNLOCKED, at(2)));
        store.onChanges(Fixtures.events("home", at(3), new AccountEvent.AccountFailed("home", at(3), "key refused")));

        List<StoredEvent> events = store.events(EventQuery.after(1, 10));

        StoredEvent moved = events.get(0);
        assertThat(moved).isEqualTo(new StoredEvent(2, "home", "SN-1", 42L, "StateChanged", at(1), at(2), "SYNC",
                moved.json()));
        JsonNode movedJson = json(moved);
        assertThat(movedJson.get("id").asLong()).isEqualTo(2);
        assertThat(movedJson.get("from").asText()).isEqualTo("LOCKED");
        assertThat(movedJson.get("toCode").asInt()).isEqualTo(2);
        StoredEvent failed = events.get(1);
        assertThat(failed).isEqualTo(new StoredEvent(3, "home", null, null, "AccountFailed", at(3), at(3), "ENGINE",
                failed.json()));
        assertThat(json(failed).get("reason").asText()).isEqualTo("key refused");
        assertThat(json(failed).get("id").asLong()).isEqualTo(3);
    }

    @Test
    void eventIdsContinueAfterReopeningTheStore() {
        LockStore first = open();
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        first.onChanges(adding(door, at(1)));
        first.onChanges(moving(door, LockState.UNLOCKED, at(2)));
        first.close();

        LockStore second = open();
        second.onChanges(moving(door, LockState.LOCKED, at(3)));

        assertThat(second.events(EventQuery.after(0, 10))).extracting(StoredEvent::id).containsExactly(1L, 2L, 3L);
    }

    @Test
    void eventIdsContinueAfterReopeningEvenWhenPruningDeletedEveryEvent() {
        LockStore first = open();
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        first.onChanges(adding(door, at(1)));
        first.onChanges(moving(door, LockState.UNLOCKED, at(2)));
        assertThat(first.pruneEventsBefore(at(100))).isEqualTo(2);
        first.close();

        LockStore second = open();
        assertThat(second.lastEventId()).isEqualTo(2);
        second.onChanges(moving(door, LockState.LOCKED, at(3)));

        assertThat(second.events(EventQuery.after(0, 10))).extracting(StoredEvent::id).containsExactly(3L);
    }

    @Test
    void pruneDeletesOnlyEventsObservedBeforeTheCutoffAndKeepsTheLocks() {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(door, at(10)));
        store.onChanges(moving(door, LockState.UNLOCKED, at(20)));
        ChangeBatch last = moving(door, LockState.LOCKED, at(30));
        store.onChanges(last);

        int deleted = store.pruneEventsBefore(at(20));

        assertThat(deleted).isEqualTo(1);
        assertThat(store.events(EventQuery.after(0, 10))).extracting(StoredEvent::observedAt)
                .containsExactly(at(20), at(30));
        assertThat(store.loadLocks().get("home")).containsExactly(last.changed().get(0));
        assertThat(store.pruneEventsBefore(at(20))).isZero();
    }

    @Test
    void reopeningKeepsEverythingAndRunsNoMigrationAgain() throws SQLException {
        LockStore first = open();
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        first.onChanges(adding(door, at(1)));
        first.onChanges(Fixtures.events("home", at(2), new AccountEvent.AccountRecovered("home", at(2))));
        Map<String, List<MirroredLock>> locks = first.loadLocks();
        List<StoredEvent> events = first.events(EventQuery.after(0, 10));
        List<String> history = history();
        first.close();

        LockStore second = open();

        assertThat(second.loadLocks()).isEqualTo(locks);
        assertThat(second.events(EventQuery.after(0, 10))).isEqualTo(events).hasSize(2);
        assertThat(second.lastEventId()).isEqualTo(2);
        assertThat(history()).isEqualTo(history).hasSize(1);
    }

    @Test
    void aClosedStoreRefusesWritesAndReads() {
        LockStore store = open();
        store.close();
        store.close();

        assertThatThrownBy(() -> store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), T0)))
                .isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(store::loadLocks).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.events(EventQuery.after(0, 1))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.pruneEventsBefore(T0)).isInstanceOf(StoreException.class);
    }

    @Test
    void describeNamesTheDatabase() {
        LockStore store = open();

        assertThat(store.describe()).isEqualTo(expectedDescription());
        assertThat(store.toString()).contains(expectedDescription());
    }

    private void execute(List<String> statements) throws SQLException {
        try (Connection connection = rawConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    long count(String sql) throws SQLException {
        try (Connection connection = rawConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private List<String> history() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = rawConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT installed_rank, version, checksum, installed_on "
                        + "FROM tedee_sync_schema_history ORDER BY installed_rank")) {
            while (result.next()) {
                rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getString(3) + "|"
                        + result.getString(4));
            }
        }
        return rows;
    }

    static JsonNode json(StoredEvent event) {
        try {
            return JSON.readTree(event.json());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + event.json(), e);
        }
    }
}
