package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.T0;
import static io.tedeesync.store.Fixtures.account;
import static io.tedeesync.store.Fixtures.adding;
import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static io.tedeesync.store.Fixtures.moving;
import static io.tedeesync.store.Fixtures.sealed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.LockSettings;
import io.tedeesync.client.LockState;
import io.tedeesync.store.internal.EventLogTable;
import io.tedeesync.store.internal.SnapshotTable;
import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
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

    /** A data source of the test's own on the test's database, for Flyway to build an older schema. */
    abstract DataSource rawDataSource();

    /** Statements that make every delete of an event fail inside the database. */
    abstract List<String> refuseEventDeletes();

    /**
     * Statements that make every insert or update of an account row with API version {@code refused}
     * fail with a message that quotes the row's sealed credentials, as PostgreSQL's "Failing row
     * contains (...)" does.
     */
    abstract List<String> refuseAccountsQuotingTheirRow();

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
    void theLocksOfSomeAccountsTheCopiesOfOneSerialAndTheAccountsOfALockIdAreReadAlone() {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        MirroredLock gate = lock("cabin", "SN-GATE", 2, LockState.LOCKED);
        MirroredLock sharedDoor = lock("office", "SN-DOOR", 1, LockState.LOCKED);
        store.onBatches(List.of(adding(door, at(1)), adding(gate, at(1)), adding(sharedDoor, at(1))));

        assertThat(store.loadLocks(List.of("home", "office", "nobody"))).isEqualTo(Map.of("home", List.of(door), "office", List.of(sharedDoor)));
        assertThat(store.copiesOf("SN-DOOR")).containsExactly(door, sharedDoor);
        assertThat(store.copiesOf("SN-NONE")).isEmpty();
        assertThat(store.accountsOfLockId(1)).containsExactly("home", "office");
        assertThat(store.accountsOfLockId(99)).isEmpty();
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
        assertThat(history()).isEqualTo(history).hasSize(5);
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
        assertThatThrownBy(store::loadAccounts).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.deleteAccount("home", true)).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.purgeAccount("home")).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aVersion1StoreMigratesToTheAccountTableKeepingItsLocksAndEvents() throws SQLException {
        Flyway.configure(getClass().getClassLoader()).dataSource(rawDataSource()).locations("classpath:db/migration")
                .table("tedee_sync_schema_history").target("1").load().migrate();
        assertThat(history()).as("a version 1 store").hasSize(1);
        MirroredLock door = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        MirroredLock gate = lock("cabin", "SN-GATE", 2, LockState.UNLOCKED);
        ChangeBatch moved = moving(door, LockState.UNLOCKED, at(3));
        try (Connection connection = rawConnection()) {
            // Written as the version 1 store wrote them: by the same table code, on the version 1 schema.
            SnapshotTable.upsert(connection, List.of(moved.changed().get(0), gate));
            List<SyncEvent> events = new ArrayList<>();
            events.addAll(adding(door, at(1)).events());
            events.addAll(adding(gate, at(2)).events());
            events.addAll(moved.events());
            EventLogTable.insert(connection, 1, events);
            try (Statement statement = connection.createStatement()) {
                // Ids up to 9 were given; 4 to 9 are gone (pruned as version 1 could, by observation time).
                statement.execute("INSERT INTO store_meta (name, value) VALUES ('event_id_floor', 9)");
            }
        }
        String version1 = history().get(0);

        LockStore store = open();

        assertThat(store.loadLocks()).isEqualTo(Map.of("home", List.of(moved.changed().get(0)), "cabin", List.of(gate)));
        assertThat(store.events(EventQuery.after(0, 10))).extracting(StoredEvent::id, StoredEvent::account, StoredEvent::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "home", "Added"),
                        org.assertj.core.groups.Tuple.tuple(2L, "cabin", "Added"),
                        org.assertj.core.groups.Tuple.tuple(3L, "home", "StateChanged"));
        assertThat(store.lastEventId()).as("the floor kept by version 1").isEqualTo(9);
        assertThat(history()).hasSize(5).startsWith(version1);
        assertThat(store.loadAccounts()).isEmpty();
        assertThat(store.insertAccount(account("home", at(8)))).isTrue();
        assertThat(store.loadAccounts()).containsExactly(account("home", at(8)));
        store.onChanges(moving(moved.changed().get(0), LockState.LOCKED, at(9)));
        assertThat(store.events(EventQuery.after(3, 10))).extracting(StoredEvent::id).containsExactly(10L);
    }

    @Test
    void eventIdsComeFromTheCounterInTheDatabaseNotFromTheStoresMemory() throws SQLException {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(door, at(1)));
        // As another instance on the same database would have: 40 ids given behind this store's back.
        execute(List.of("UPDATE store_meta SET value = 41 WHERE name = 'last_event_id'"));

        store.onBatches(List.of(moving(door, LockState.UNLOCKED, at(2)), moving(door, LockState.LOCKED, at(3))));

        assertThat(store.events(EventQuery.after(0, 10))).extracting(StoredEvent::id).containsExactly(1L, 42L, 43L);
        assertThat(count("SELECT value FROM store_meta WHERE name = 'last_event_id'")).isEqualTo(43);
        assertThat(store.lastEventId()).isEqualTo(43);
    }

    @Test
    void aVersion2StoreStartsTheCounterAtItsNewestEventAndDropsTheFloor() throws SQLException {
        Flyway.configure(getClass().getClassLoader()).dataSource(rawDataSource()).locations("classpath:db/migration")
                .table("tedee_sync_schema_history").target("2").load().migrate();
        MirroredLock door = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        try (Connection connection = rawConnection()) {
            List<SyncEvent> events = new ArrayList<>(adding(door, at(1)).events());
            events.addAll(moving(door, LockState.UNLOCKED, at(2)).events());
            events.addAll(moving(door, LockState.LOCKED, at(3)).events());
            EventLogTable.insert(connection, 5, events); // ids 5 to 7, above the floor a prune kept
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO store_meta (name, value) VALUES ('event_id_floor', 4)");
            }
        }

        LockStore store = open();

        assertThat(store.lastEventId()).isEqualTo(7);
        assertThat(count("SELECT COUNT(*) FROM store_meta WHERE name = 'event_id_floor'")).isZero();
        store.onChanges(moving(door, LockState.UNLOCKED, at(4)));
        assertThat(store.events(EventQuery.after(0, 10))).extracting(StoredEvent::id).containsExactly(5L, 6L, 7L, 8L);
    }

    @Test
    void anAccountRoundTripsWithEveryFieldSetOrNull() {
        LockStore store = open();
        StoredAccount everything = new StoredAccount("home", "personal-key", sealed("home"),
                URI.create("https://api.tedee.com/api/v1.36?region=eu"), "v1.36", Duration.ofMillis(45_250),
                "ada@example.com", at(1), at(2));
        StoredAccount bare = new StoredAccount("Ferienhaus Tür \u2013 Süd", "oauth", sealed("cabin"),
                URI.create("http://127.0.0.1:8080"), "v1.32", null, null, at(3), at(3));

        assertThat(store.insertAccount(everything)).isTrue();
        assertThat(store.insertAccount(bare)).isTrue();

        List<StoredAccount> loaded = store.loadAccounts();
        assertThat(loaded).containsExactly(everything, bare);
        assertThat(loaded.get(1).syncInterval()).isNull();
        assertThat(loaded.get(1).userIdentity()).isNull();
        assertThat(loaded.get(0).sealedCredentials()).isEqualTo(sealed("home"));
    }

    @Test
    void accountsLoadOldestFirstThenByName() {
        LockStore store = open();
        store.insertAccount(account("later", at(5)));
        store.insertAccount(account("alpha", at(1)));
        store.insertAccount(account("Beta", at(1)));
        store.insertAccount(account("zulu", at(0)));

        // By String order on both databases: "Beta" before "alpha", whatever PostgreSQL's collation says.
        assertThat(store.loadAccounts()).extracting(StoredAccount::name).containsExactly("zulu", "Beta", "alpha", "later");
    }

    @Test
    void insertingATakenNameReturnsFalseAndKeepsTheFirst() {
        LockStore store = open();
        StoredAccount first = account("home", at(1));
        StoredAccount second = new StoredAccount("home", "oauth", sealed("second"), URI.create("https://other.example"),
                "v2", null, null, at(2), at(2));
        store.insertAccount(first);

        assertThat(store.insertAccount(second)).isFalse();

        assertThat(store.loadAccounts()).containsExactly(first);
    }

    @Test
    void anUpdateReplacesEveryFieldButTheNameAndWhenItWasAdded() {
        LockStore store = open();
        StoredAccount original = account("home", at(1));
        StoredAccount neighbour = account("office", at(2));
        store.insertAccount(original);
        store.insertAccount(neighbour);
        StoredAccount changed = new StoredAccount("home", "oauth", sealed("rotated"), URI.create("https://eu.api.example"),
                "v1.40", null, null, at(50), at(60));

        assertThat(store.updateAccount(changed)).isTrue();

        assertThat(store.loadAccounts()).containsExactly(new StoredAccount("home", "oauth", sealed("rotated"),
                URI.create("https://eu.api.example"), "v1.40", null, null, at(1), at(60)), neighbour);
        StoredAccount back = store.loadAccounts().get(0).withSyncInterval(Duration.ofMinutes(2), at(70));
        assertThat(store.updateAccount(back)).isTrue();
        assertThat(store.loadAccounts().get(0)).isEqualTo(back);
    }

    @Test
    void updatingAnAbsentAccountReturnsFalseAndAddsNothing() {
        LockStore store = open();
        store.insertAccount(account("home", at(1)));

        assertThat(store.updateAccount(account("office", at(2)))).isFalse();

        assertThat(store.loadAccounts()).extracting(StoredAccount::name).containsExactly("home");
    }

    @Test
    void deletingWithoutPurgeKeepsTheAccountsLocksAndEvents() {
        LockStore store = open();
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        store.insertAccount(account("home", at(1)));
        store.onChanges(adding(door, at(1)));
        store.onChanges(moving(door, LockState.UNLOCKED, at(2)));
        Map<String, List<MirroredLock>> locks = store.loadLocks();
        List<StoredEvent> events = store.events(EventQuery.after(0, 10));

        assertThat(store.deleteAccount("home", false)).isTrue();

        assertThat(store.loadAccounts()).isEmpty();
        assertThat(store.loadLocks()).isEqualTo(locks).containsKey("home");
        assertThat(store.loadLocks("home")).as("one account's, for adding it again").isEqualTo(locks.get("home")).hasSize(1);
        assertThat(store.loadLocks("nobody")).isEmpty();
        assertThat(store.events(EventQuery.after(0, 10))).isEqualTo(events).hasSize(2);
        assertThat(store.deleteAccount("home", false)).as("already gone").isFalse();
    }

    @Test
    void deletingWithPurgeRemovesExactlyThatAccountsLocksAndEvents() throws SQLException {
        LockStore store = open();
        store.insertAccount(account("home", at(1)));
        store.insertAccount(account("office", at(1)));
        MirroredLock homeDoor = lock("home", "SN-1", 1, LockState.LOCKED);
        MirroredLock homeGate = lock("home", "SN-2", 2, LockState.LOCKED);
        MirroredLock officeDoor = lock("office", "SN-1", 3, LockState.LOCKED); // the same serial on another account
        MirroredLock homelyDoor = lock("homely", "SN-3", 4, LockState.LOCKED);
        store.onChanges(adding(homeDoor, at(1)));
        store.onChanges(adding(officeDoor, at(2)));
        store.onChanges(adding(homeGate, at(3)));
        store.onChanges(adding(homelyDoor, at(4)));
        store.onChanges(moving(homeDoor, LockState.UNLOCKED, at(5)));
        store.onChanges(Fixtures.events("home", at(6), new AccountEvent.AccountDegraded("home", at(6), "HTTP 503")));
        store.onChanges(moving(officeDoor, LockState.UNLOCKED, at(7)));
        List<StoredEvent> others = store.events(EventQuery.after(0, 100)).stream()
                .filter(event -> !event.account().equals("home")).toList();
        Map<String, List<MirroredLock>> otherLocks = store.loadLocks();
        otherLocks = Map.of("office", otherLocks.get("office"), "homely", otherLocks.get("homely"));

        assertThat(store.deleteAccount("home", true)).isTrue();

        assertThat(store.loadAccounts()).extracting(StoredAccount::name).containsExactly("office");
        assertThat(store.loadLocks()).isEqualTo(otherLocks);
        assertThat(store.events(EventQuery.after(0, 100))).isEqualTo(others).extracting(StoredEvent::id)
                .containsExactly(2L, 4L, 7L);
        assertThat(count("SELECT COUNT(*) FROM lock_event WHERE account = 'home'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM lock_snapshot WHERE account = 'home'")).isZero();
        assertThat(store.lastEventId()).isEqualTo(7);
    }

    @Test
    void eventIdsContinueAboveThePurgedOnesAfterReopening() {
        LockStore first = open();
        MirroredLock office = lock("office", "SN-1", 1, LockState.LOCKED);
        MirroredLock home = lock("home", "SN-2", 2, LockState.LOCKED);
        first.onChanges(adding(office, at(1)));                                    // 1
        first.onChanges(adding(home, at(2)));                                      // 2
        first.onChanges(moving(home, LockState.UNLOCKED, at(3)));                  // 3, the newest
        assertThat(first.purgeAccount("home")).isEqualTo(3); // one lock, two events
        first.close();

        LockStore second = open();
        assertThat(second.lastEventId()).isEqualTo(3);
        second.onChanges(moving(office, LockState.UNLOCKED, at(4)));

        assertThat(second.events(EventQuery.after(0, 10))).extracting(StoredEvent::id).containsExactly(1L, 4L);
    }

    @Test
    void purgingAnAccountWithoutARowRemovesItsLocksAndEvents() {
        LockStore store = open();
        store.insertAccount(account("home", at(1)));
        MirroredLock configured = lock("from-config", "SN-1", 1, LockState.LOCKED);
        MirroredLock configuredGate = lock("from-config", "SN-2", 2, LockState.LOCKED);
        MirroredLock home = lock("home", "SN-3", 3, LockState.LOCKED);
        store.onChanges(adding(configured, at(1)));
        store.onChanges(adding(configuredGate, at(2)));
        store.onChanges(moving(configured, LockState.UNLOCKED, at(3)));
        store.onChanges(adding(home, at(4)));

        assertThat(store.purgeAccount("from-config")).isEqualTo(5); // two locks, three events

        assertThat(store.loadLocks()).isEqualTo(Map.of("home", List.of(home)));
        assertThat(store.events(EventQuery.after(0, 10))).extracting(StoredEvent::account).containsExactly("home");
        assertThat(store.purgeAccount("from-config")).as("nothing left").isZero();
        // A stored account's purge leaves its row: deleting the row is deleteAccount's job.
        assertThat(store.purgeAccount("home")).isEqualTo(2);
        assertThat(store.loadAccounts()).extracting(StoredAccount::name).containsExactly("home");
        assertThat(store.loadLocks()).isEmpty();
    }

    @Test
    void deletingAndPurgingAnAccountWithoutARowReturnsFalseButRemovesItsLocksAndEvents() {
        LockStore store = open();
        MirroredLock configured = lock("from-config", "SN-1", 1, LockState.LOCKED);
        MirroredLock other = lock("other", "SN-2", 2, LockState.LOCKED);
        store.onChanges(adding(configured, at(1)));
        store.onChanges(adding(other, at(2)));

        assertThat(store.deleteAccount("from-config", true)).isFalse();

        assertThat(store.loadLocks()).isEqualTo(Map.of("other", List.of(other)));
        assertThat(store.events(EventQuery.after(0, 10))).extracting(StoredEvent::account).containsExactly("other");
    }

    @Test
    void aPurgeThatFailsMidwayDeletesNothing() throws SQLException {
        LockStore store = open();
        StoredAccount home = account("home", at(1));
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        store.insertAccount(home);
        store.onChanges(adding(door, at(1)));
        execute(refuseEventDeletes());

        // The account row and the lock are deleted before the events' delete fails.
        assertThatThrownBy(() -> store.deleteAccount("home", true))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not delete and purge account home in " + expectedDescription());
        assertThatThrownBy(() -> store.purgeAccount("home"))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not purge account home in " + expectedDescription());

        assertThat(store.loadAccounts()).containsExactly(home);
        assertThat(store.loadLocks()).isEqualTo(Map.of("home", List.of(door)));
        assertThat(store.events(EventQuery.after(0, 10))).hasSize(1);
    }

    @Test
    void accountsSurviveClosingAndReopening() {
        LockStore first = open();
        StoredAccount home = account("home", at(1));
        StoredAccount office = account("office", at(2));
        first.insertAccount(home);
        first.insertAccount(office);
        first.insertAccount(account("gone", at(3)));
        StoredAccount rotated = home.withSealedCredentials(sealed("rotated"), at(4));
        first.updateAccount(rotated);
        first.deleteAccount("gone", false);
        first.close();

        LockStore second = open();

        assertThat(second.loadAccounts()).containsExactly(rotated, office);
    }

    @Test
    void theSealedCredentialsAppearInNoMessageOfAFailure() throws SQLException {
        LockStore store = open();
        StoredAccount home = account("home", at(1));
        store.insertAccount(home);
        StoredAccount refusedNew = new StoredAccount("office", "personal-key", sealed("office"),
                URI.create("https://api.tedee.com"), "refused", null, null, at(2), at(2));
        StoredAccount refusedUpdate = new StoredAccount("home", "personal-key", sealed("home"),
                URI.create("https://api.tedee.com"), "refused", null, null, at(1), at(3));
        execute(refuseAccountsQuotingTheirRow());
        // The provocation is real: the database's own message quotes the value.
        assertThatThrownBy(() -> execute(List.of("INSERT INTO account VALUES ('probe', 'k', '" + sealed("probe")
                + "', 'https://a', 'refused', NULL, NULL, 0, 0)")))
                .isInstanceOf(SQLException.class).hasMessageContaining(sealed("probe"));

        assertThatThrownBy(() -> store.insertAccount(refusedNew))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not add account office in " + expectedDescription() + ": ")
                .satisfies(failure -> assertThat(everythingSaidBy(failure)).doesNotContain(sealed("office")));
        assertThatThrownBy(() -> store.updateAccount(refusedUpdate))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not update account home in " + expectedDescription() + ": ")
                .satisfies(failure -> assertThat(everythingSaidBy(failure)).doesNotContain(sealed("home")));
        assertThat(store.loadAccounts()).containsExactly(home);
        assertThat(store.loadAccounts().get(0).toString()).contains("sealed=hidden").doesNotContain(sealed("home"));

        store.close();
        assertThatThrownBy(() -> store.insertAccount(refusedNew))
                .isInstanceOf(StoreException.class)
                .hasMessage("the store " + expectedDescription() + " is closed");
        assertThatThrownBy(() -> store.updateAccount(home))
                .isInstanceOf(StoreException.class)
                .hasMessage("the store " + expectedDescription() + " is closed");
    }

    /** The message, every cause and everything suppressed, as a stack trace prints them. */
    private static String everythingSaidBy(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return trace.toString();
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
