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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link EventHistory} must do on every database: run on SQLite and on PostgreSQL by the subclasses,
 * each on a fresh database per test. Events are written as the engine writes them, through
 * {@link LockStore#onChanges}, with the times they happened set apart from the order they were logged in.
 */
abstract class EventHistoryContract {
    private static final Set<String> STATE = Set.of("StateChanged");
    private static final Set<String> ALL = Set.of("StateChanged", "BatteryChanged", "DoorStateChanged", "ConnectionChanged");
    private static final MirroredLock DOOR = lock("home", "SN-1", 1, LockState.LOCKED);
    private static final MirroredLock OTHER = lock("home", "SN-2", 2, LockState.LOCKED);

    private LockStore store;
    private EventHistory history;

    abstract StoreConfig config();

    /** A connection of the test's own, to look at the schema. */
    abstract Connection rawConnection() throws SQLException;

    @BeforeEach
    void open() {
        store = LockStore.open(config());
        history = store.history();
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
        List<Long> ids = write(state(DOOR, LockState.UNLOCKED, at(9).plusMillis(999)), state(DOOR, LockState.LOCKED, at(10)),
                state(DOOR, LockState.UNLOCKED, at(20).minusMillis(1)), state(DOOR, LockState.LOCKED, at(20)));

        List<StoredEvent> events = history.between("SN-1", at(10), at(20), STATE, 100);

        assertThat(ids(events)).containsExactly(ids.get(1), ids.get(2));
        assertThat(events.get(0).occurredAt()).isEqualTo(at(10));
        assertThat(events.get(0).json()).contains("\"to\":\"LOCKED\"");
        assertThat(history.between("SN-1", at(10), at(10), STATE, 100)).as("an empty range").isEmpty();
    }

    @Test
    void boundsBetweenTwoMillisecondsCountAsTheNextOne() {
        List<Long> ids = write(state(DOOR, LockState.UNLOCKED, at(10)), state(DOOR, LockState.LOCKED, at(10).plusMillis(1)));

        assertThat(ids(history.between("SN-1", at(10).plusNanos(1), at(11), STATE, 100)))
                .as("the event at .000 happened before .000000001").containsExactly(ids.get(1));
        assertThat(ids(history.between("SN-1", at(9), at(10).plusNanos(1), STATE, 100)))
                .as("and before an end of .000000001").containsExactly(ids.get(0));
        assertThat(history.lastBefore("SN-1", at(10).plusNanos(1), STATE).map(StoredEvent::id)).contains(ids.get(0));
    }

    @Test
    void onlyTheAskedTypesAreRead() {
        List<Long> ids = write(state(DOOR, LockState.UNLOCKED, at(1)), battery(DOOR, 70, at(2)),
                new LockEvent.DoorStateChanged("home", "SN-1", 1, at(3), at(3600), EventSource.SYNC, DoorState.CLOSED, DoorState.OPENED, 2),
                new LockEvent.BellPressed("home", "SN-1", 1, at(4), at(3600), EventSource.WEBHOOK));

        assertThat(ids(history.between("SN-1", T0, at(100), Set.of("BatteryChanged", "DoorStateChanged"), 100)))
                .containsExactly(ids.get(1), ids.get(2));
        assertThat(ids(history.between("SN-1", T0, at(100), STATE, 100))).containsExactly(ids.get(0));
        assertThat(history.between("SN-1", T0, at(100), Set.of(), 100)).as("no type, no event").isEmpty();
        assertThat(history.lastBefore("SN-1", at(100), Set.of("BatteryChanged")).map(StoredEvent::id)).contains(ids.get(1));
    }

    @Test
    void theLimitKeepsTheNewestByOccurrenceReturnedInLogOrder() {
        // Logged in this order, but they happened 30 s, 10 s, 20 s and 40 s in: the log order is not the time order.
        List<Long> ids = write(state(DOOR, LockState.UNLOCKED, at(30)), state(DOOR, LockState.LOCKED, at(10)),
                state(DOOR, LockState.SEMI_LOCKED, at(20)), state(DOOR, LockState.PULLED, at(40)));

        List<StoredEvent> newest = history.between("SN-1", T0, at(100), STATE, 3);

        assertThat(ids(newest)).as("the one at 10 s is the oldest, so it is left out; the rest ascending by id")
                .containsExactly(ids.get(0), ids.get(2), ids.get(3));
        assertThat(ids(history.between("SN-1", T0, at(100), STATE, 1))).containsExactly(ids.get(3));
        assertThat(ids(history.between("SN-1", T0, at(100), STATE, 100))).containsExactlyElementsOf(ids);
    }

    @Test
    void eventsOfOneTimeAreCutByIdTheNewestKept() {
        List<Long> ids = write(state(DOOR, LockState.UNLOCKED, at(10)), state(DOOR, LockState.LOCKED, at(10)),
                state(DOOR, LockState.UNLOCKED, at(10)));

        assertThat(ids(history.between("SN-1", T0, at(100), STATE, 2))).containsExactly(ids.get(1), ids.get(2));
        assertThat(history.lastBefore("SN-1", at(11), STATE).map(StoredEvent::id)).contains(ids.get(2));
    }

    @Test
    void theLastEventBeforeATimeIsTheLatestStrictlyBeforeIt() {
        List<Long> ids = write(state(DOOR, LockState.UNLOCKED, at(5)), state(DOOR, LockState.LOCKED, at(15)),
                state(DOOR, LockState.SEMI_LOCKED, at(8)), battery(DOOR, 50, at(9)), state(DOOR, LockState.PULLED, at(20)));

        assertThat(history.lastBefore("SN-1", at(15), STATE).map(StoredEvent::id))
                .as("latest occurrence before 15 s (8 s, logged after the one at 15 s), battery not asked for")
                .contains(ids.get(2));
        assertThat(history.lastBefore("SN-1", at(15).plusMillis(1), STATE).map(StoredEvent::id)).contains(ids.get(1));
        assertThat(history.lastBefore("SN-1", at(5), STATE)).as("nothing before the first").isEmpty();
        assertThat(history.lastBefore("SN-1", at(100), Set.of("Removed"))).isEmpty();
    }

    @Test
    void anotherLocksAndTheAccountsEventsAreNotOnesHistory() {
        List<Long> ids = write(state(OTHER, LockState.UNLOCKED, at(1)), state(DOOR, LockState.UNLOCKED, at(2)),
                new AccountEvent.AccountDegraded("home", at(3), "rate limited"), state(OTHER, LockState.LOCKED, at(4)));

        assertThat(ids(history.between("SN-1", T0, at(100), ALL, 100))).containsExactly(ids.get(1));
        assertThat(ids(history.between("SN-2", T0, at(100), ALL, 100))).containsExactly(ids.get(0), ids.get(3));
        assertThat(history.lastBefore("SN-1", at(100), ALL).map(StoredEvent::id)).contains(ids.get(1));
        assertThat(history.between("SN-3", T0, at(100), ALL, 100)).isEmpty();
        assertThat(history.lastBefore("SN-3", at(100), ALL)).isEmpty();
    }

    @Test
    void theHistoryIndexIsMadeByTheMigrations() throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection connection = rawConnection();
                ResultSet rows = connection.getMetaData().getIndexInfo(null, null, "lock_event", false, false)) {
            while (rows.next()) {
                if ("lock_event_serial_occurred".equalsIgnoreCase(rows.getString("INDEX_NAME"))) {
                    columns.add(rows.getShort("ORDINAL_POSITION") + ":" + rows.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        assertThat(columns).containsExactlyInAnyOrder("1:serial_number", "2:occurred_at");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> history.between("SN-1", at(2), at(1), STATE, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be after");
        assertThatThrownBy(() -> history.between("SN-1", at(1), at(2), STATE, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> history.lastBefore(" ", at(1), STATE)).isInstanceOf(IllegalArgumentException.class);
        store.close();
        assertThatThrownBy(() -> history.lastBefore("SN-1", at(1), STATE)).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }
}
