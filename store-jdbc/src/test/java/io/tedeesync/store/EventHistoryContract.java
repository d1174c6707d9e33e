package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.T0;
import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tedeesync.client.DoorState;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link EventHistory} must do on every database: run on SQLite and on PostgreSQL by the subclasses. The
 * reads are by serial number, so each test has serial numbers of its own and the tests of a class may share one
 * database (PostgreSQL does: a database per test was most of its time). Events are written as the engine writes
 * them, through {@link LockStore#onChanges}, with the times they happened set apart from the order they were
 * logged in.
 */
abstract class EventHistoryContract {
    private static final Set<String> STATE = Set.of("StateChanged");
    private static final Set<String> ALL = Set.of("StateChanged", "BatteryChanged", "DoorStateChanged", "ConnectionChanged");
    private static final AtomicInteger TESTS = new AtomicInteger();

    private LockStore store;
    private EventHistory history;
    /** This test's locks and a serial number nothing was logged for. */
    private MirroredLock door;
    private MirroredLock other;
    private String nobody;

    abstract StoreConfig config();

    /** A connection of the test's own, to look at the schema. */
    abstract Connection rawConnection() throws SQLException;

    @BeforeEach
    void open() {
        store = LockStore.open(config());
        history = store.history();
        String prefix = "T" + TESTS.incrementAndGet() + "-";
        door = lock("home", prefix + "SN-1", 1, LockState.LOCKED);
        other = lock("home", prefix + "SN-2", 2, LockState.LOCKED);
        nobody = prefix + "SN-3";
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A position change of {@code lock} that happened at {@code occurredAt}, logged at T0 + 1 h. */
    private static LockEvent.StateChanged state(MirroredLock lock, LockState to, Instant occurredAt) {
        return new LockEvent.StateChanged(lock.account(), lock.serialNumber(), lock.id(), occurredAt, at(3600), EventSource.SYNC,
                null, null, to, to.code());
    }

    private static LockEvent.BatteryChanged battery(MirroredLock lock, int level, Instant occurredAt) {
        return new LockEvent.BatteryChanged(lock.account(), lock.serialNumber(), lock.id(), occurredAt, at(3600), EventSource.WEBHOOK,
                null, level);
    }

    /** Writes the events in this order, one batch each (as separate merges would), and returns their ids in order. */
    private List<Long> write(SyncEvent... events) {
        List<Long> ids = new ArrayList<>();
        for (SyncEvent event : events) {
            store.onChanges(new ChangeBatch(event.account(), at(3600), List.of(event), List.of(), Set.of()));
            ids.add(store.lastEventId());
        }
        return ids;
    }

    private static List<Long> ids(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::id).toList();
    }

    @Test
    void theRangeHoldsItsStartAndNotItsEnd() {
        List<Long> ids = write(state(door, LockState.UNLOCKED, at(9).plusMillis(999)), state(door, LockState.LOCKED, at(10)),
                state(door, LockState.UNLOCKED, at(20).minusMillis(1)), state(door, LockState.LOCKED, at(20)));

        List<StoredEvent> events = history.between(door.serialNumber(), at(10), at(20), STATE, 100);

        assertThat(ids(events)).containsExactly(ids.get(1), ids.get(2));
        assertThat(events.get(0).occurredAt()).isEqualTo(at(10));
        assertThat(events.get(0).json()).contains("\"to\":\"LOCKED\"");
        assertThat(history.between(door.serialNumber(), at(10), at(10), STATE, 100)).as("an empty range").isEmpty();
    }

    @Test
    void boundsBetweenTwoMillisecondsCountAsTheNextOne() {
        List<Long> ids = write(state(door, LockState.UNLOCKED, at(10)), state(door, LockState.LOCKED, at(10).plusMillis(1)));

        assertThat(ids(history.between(door.serialNumber(), at(10).plusNanos(1), at(11), STATE, 100)))
                .as("the event at .000 happened before .000000001").containsExactly(ids.get(1));
        assertThat(ids(history.between(door.serialNumber(), at(9), at(10).plusNanos(1), STATE, 100)))
                .as("and before an end of .000000001").containsExactly(ids.get(0));
        assertThat(history.lastBefore(door.serialNumber(), at(10).plusNanos(1), STATE).map(StoredEvent::id)).contains(ids.get(0));
    }

    @Test
    void onlyTheAskedTypesAreRead() {
        List<Long> ids = write(state(door, LockState.UNLOCKED, at(1)), battery(door, 70, at(2)),
                new LockEvent.DoorStateChanged("home", door.serialNumber(), 1, at(3), at(3600), EventSource.SYNC, DoorState.CLOSED, DoorState.OPENED, 2),
                new LockEvent.BellPressed("home", door.serialNumber(), 1, at(4), at(3600), EventSource.WEBHOOK));

        assertThat(ids(history.between(door.serialNumber(), T0, at(100), Set.of("BatteryChanged", "DoorStateChanged"), 100)))
                .containsExactly(ids.get(1), ids.get(2));
        assertThat(ids(history.between(door.serialNumber(), T0, at(100), STATE, 100))).containsExactly(ids.get(0));
        assertThat(history.between(door.serialNumber(), T0, at(100), Set.of(), 100)).as("no type, no event").isEmpty();
        assertThat(history.lastBefore(door.serialNumber(), at(100), Set.of("BatteryChanged")).map(StoredEvent::id)).contains(ids.get(1));
    }

    @Test
    void theLimitKeepsTheNewestByOccurrenceReturnedInLogOrder() {
        // Logged in this order, but they happened 30 s, 10 s, 20 s and 40 s in: the log order is not the time order.
        List<Long> ids = write(state(door, LockState.UNLOCKED, at(30)), state(door, LockState.LOCKED, at(10)),
                state(door, LockState.SEMI_LOCKED, at(20)), state(door, LockState.PULLED, at(40)));

        List<StoredEvent> newest = history.between(door.serialNumber(), T0, at(100), STATE, 3);

        assertThat(ids(newest)).as("the one at 10 s is the oldest, so it is left out; the rest ascending by id")
                .containsExactly(ids.get(0), ids.get(2), ids.get(3));
        assertThat(ids(history.between(door.serialNumber(), T0, at(100), STATE, 1))).containsExactly(ids.get(3));
        assertThat(ids(history.between(door.serialNumber(), T0, at(100), STATE, 100))).containsExactlyElementsOf(ids);
    }

    @Test
    void eventsOfOneTimeAreCutByIdTheNewestKept() {
        List<Long> ids = write(state(door, LockState.UNLOCKED, at(10)), state(door, LockState.LOCKED, at(10)),
                state(door, LockState.UNLOCKED, at(10)));

        assertThat(ids(history.between(door.serialNumber(), T0, at(100), STATE, 2))).containsExactly(ids.get(1), ids.get(2));
        assertThat(history.lastBefore(door.serialNumber(), at(11), STATE).map(StoredEvent::id)).contains(ids.get(2));
    }

    @Test
    void theLastEventBeforeATimeIsTheLatestStrictlyBeforeIt() {
        List<Long> ids = write(state(door, LockState.UNLOCKED, at(5)), state(door, LockState.LOCKED, at(15)),
                state(door, LockState.SEMI_LOCKED, at(8)), battery(door, 50, at(9)), state(door, LockState.PULLED, at(20)));

        assertThat(history.lastBefore(door.serialNumber(), at(15), STATE).map(StoredEvent::id))
                .as("latest occurrence before 15 s (8 s, logged after the one at 15 s), battery not asked for")
                .contains(ids.get(2));
        assertThat(history.lastBefore(door.serialNumber(), at(15).plusMillis(1), STATE).map(StoredEvent::id)).contains(ids.get(1));
        assertThat(history.lastBefore(door.serialNumber(), at(5), STATE)).as("nothing before the first").isEmpty();
        assertThat(history.lastBefore(door.serialNumber(), at(100), Set.of("Removed"))).isEmpty();
    }

    @Test
    void anotherLocksAndTheAccountsEventsAreNotOnesHistory() {
        List<Long> ids = write(state(other, LockState.UNLOCKED, at(1)), state(door, LockState.UNLOCKED, at(2)),
                new AccountEvent.AccountDegraded("home", at(3), "rate limited"), state(other, LockState.LOCKED, at(4)));

        assertThat(ids(history.between(door.serialNumber(), T0, at(100), ALL, 100))).containsExactly(ids.get(1));
        assertThat(ids(history.between(other.serialNumber(), T0, at(100), ALL, 100))).containsExactly(ids.get(0), ids.get(3));
        assertThat(history.lastBefore(door.serialNumber(), at(100), ALL).map(StoredEvent::id)).contains(ids.get(1));
        assertThat(history.between(nobody, T0, at(100), ALL, 100)).isEmpty();
        assertThat(history.lastBefore(nobody, at(100), ALL)).isEmpty();
    }

    @Test
    void theHistoryIndexesAreMadeByTheMigrations() throws SQLException {
        assertThat(indexColumns("lock_event_serial_occurred")).containsExactly("serial_number", "occurred_at", "id");
        assertThat(indexColumns("lock_event_serial_type_occurred")).containsExactly("serial_number", "type", "occurred_at", "id");
    }

    /** The columns of the index on lock_event, in their order. */
    private List<String> indexColumns(String index) throws SQLException {
        java.util.SortedMap<Short, String> columns = new java.util.TreeMap<>();
        try (Connection connection = rawConnection();
                ResultSet rows = connection.getMetaData().getIndexInfo(null, null, "lock_event", false, false)) {
            while (rows.next()) {
                if (index.equalsIgnoreCase(rows.getString("INDEX_NAME"))) {
                    columns.put(rows.getShort("ORDINAL_POSITION"), rows.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return List.copyOf(columns.values());
    }

    @Test
    void theLastOfEachTypeBeforeATimeIsOneEventPerTypeThatHasOne() {
        List<Long> ids = write(state(door, LockState.UNLOCKED, at(5)), battery(door, 60, at(6)), state(door, LockState.LOCKED, at(9)),
                battery(door, 55, at(7)), state(door, LockState.PULLED, at(12)), state(other, LockState.UNLOCKED, at(8)));

        List<StoredEvent> last = history.lastOfEachBefore(door.serialNumber(), at(10), Set.of("StateChanged", "BatteryChanged", "Removed"));

        assertThat(ids(last)).as("the state at 9 s, the battery at 7 s (logged after the one at 6 s), no removal")
                .containsExactlyInAnyOrder(ids.get(2), ids.get(3));
        assertThat(history.lastOfEachBefore(door.serialNumber(), at(5), Set.of("StateChanged", "BatteryChanged"))).isEmpty();
        assertThat(history.lastOfEachBefore(door.serialNumber(), at(10), Set.of())).isEmpty();
        assertThat(history.lastBefore(door.serialNumber(), at(10), Set.of("StateChanged", "BatteryChanged")).map(StoredEvent::id))
                .as("the latest of them").contains(ids.get(2));
    }

    @Test
    void theFirstOfEachTypeAtOrAfterATimeIsOneEventPerTypeThatHasOne() {
        List<Long> ids = write(state(door, LockState.UNLOCKED, at(5)), battery(door, 60, at(12)), state(door, LockState.LOCKED, at(20)),
                state(door, LockState.PULLED, at(10)), battery(door, 55, at(10).minusMillis(1)), state(other, LockState.LOCKED, at(11)));

        List<StoredEvent> first = history.firstOfEachAtOrAfter(door.serialNumber(), at(10), Set.of("StateChanged", "BatteryChanged", "Added"));

        assertThat(ids(first)).as("the state at 10 s itself (logged after the one at 20 s), the battery at 12 s")
                .containsExactlyInAnyOrder(ids.get(3), ids.get(1));
        assertThat(history.firstOfEachAtOrAfter(door.serialNumber(), at(21), Set.of("StateChanged", "BatteryChanged"))).isEmpty();
        assertThat(history.firstOfEachAtOrAfter(nobody, T0, Set.of("StateChanged"))).isEmpty();
    }

    @Test
    void aRangeOfEveryTypeHoldsWhateverTheLockLogged() {
        List<Long> ids = write(state(door, LockState.UNLOCKED, at(1)),
                new LockEvent.BellPressed("home", door.serialNumber(), 1, at(2), at(3600), EventSource.WEBHOOK), battery(door, 70, at(3)),
                state(other, LockState.LOCKED, at(2)), new AccountEvent.AccountDegraded("home", at(2), "rate limited"));

        assertThat(ids(history.between(door.serialNumber(), T0, at(100), 100))).containsExactly(ids.get(0), ids.get(1), ids.get(2));
        assertThat(ids(history.between(door.serialNumber(), T0, at(100), 2))).as("the newest two").containsExactly(ids.get(1), ids.get(2));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> history.between(door.serialNumber(), at(2), at(1), STATE, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be after");
        assertThatThrownBy(() -> history.between(door.serialNumber(), at(1), at(2), STATE, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> history.lastBefore(" ", at(1), STATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.firstOfEachAtOrAfter(" ", at(1), STATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.between(door.serialNumber(), at(2), at(1), 10)).isInstanceOf(IllegalArgumentException.class);
        store.close();
        assertThatThrownBy(() -> history.lastBefore(door.serialNumber(), at(1), STATE)).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }
}
