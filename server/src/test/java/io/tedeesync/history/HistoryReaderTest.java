package io.tedeesync.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HistoryReader} on a real store: the reads a history is made of, the bound on them, and the newest events. */
class HistoryReaderTest {
    private static final Instant T = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    Path data;
    private LockStore store;

    @BeforeEach
    void open() {
        store = LockStore.open(StoreConfig.sqlite(data));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Instant at(int minutes) {
        return T.plus(Duration.ofMinutes(minutes));
    }

    private void write(SyncEvent... events) {
        store.onChanges(new ChangeBatch("home", at(1000), List.of(events), List.of(), Set.of()));
    }

    private static LockEvent.StateChanged state(String serial, int minutes, LockState to) {
        return new LockEvent.StateChanged("home", serial, 1, at(minutes), at(minutes), EventSource.SYNC, null, null, to, to.code());
    }

    private static LockEvent.BatteryChanged battery(int minutes, int level) {
        return new LockEvent.BatteryChanged("home", "SN1", 1, at(minutes), at(minutes), EventSource.WEBHOOK, null, level);
    }

    @Test
    void theStateInEffectAtTheStartComesFromTheLastEventsBeforeItOfEachKind() {
        write(state("SN1", -120, LockState.UNLOCKED), battery(-90, 64),
                new LockEvent.ConnectionChanged("home", "SN1", 1, at(-60), at(-60), EventSource.WEBHOOK, false),
                new LockEvent.ConnectionChanged("home", "SN1", 1, at(-30), at(-30), EventSource.WEBHOOK, true),
                state("SN2", -10, LockState.PULLED), state("SN1", 30, LockState.LOCKED));

        LockHistory history = new HistoryReader(store.history(), serial -> Optional.empty()).read("SN1", at(0), at(60), at(600));

        assertThat(history.states()).containsExactly(new StateInterval("UNLOCKED", 2, true, at(0), at(30), "WEBHOOK"),
                new StateInterval("LOCKED", 6, true, at(30), at(60), "SYNC"));
        assertThat(history.battery()).containsExactly(new BatteryReading(at(0), 64));
        assertThat(history.truncated()).isFalse();
    }

    @Test
    void pastTheBoundTheNewestEventsAreKeptAndTheStartMovesToTheOldestOfThem() {
        write(state("SN1", 10, LockState.UNLOCKED), battery(15, 80), state("SN1", 20, LockState.LOCKED), state("SN1", 30, LockState.UNLOCKED),
                state("SN1", 40, LockState.LOCKED));
        HistoryReader reader = new HistoryReader(store.history(), serial -> Optional.empty(), 3);

        LockHistory history = reader.read("SN1", at(0), at(60), at(600));

        assertThat(history.truncated()).isTrue();
        assertThat(history.from()).isEqualTo(at(20));
        assertThat(history.states()).extracting(StateInterval::state).containsExactly("LOCKED", "UNLOCKED", "LOCKED");
        assertThat(history.battery()).as("in effect at the moved start, from an event left out of the range").containsExactly(
                new BatteryReading(at(20), 80));
        assertThat(reader.newestEvents("SN1", history, 100)).as("the events shown are those of the range covered")
                .extracting(StoredEvent::occurredAt).containsExactly(at(20), at(30), at(40));
    }

    @Test
    void theNewestEventsOfAnyTypeAreShownAscending() {
        write(state("SN1", 10, LockState.UNLOCKED), new LockEvent.BellPressed("home", "SN1", 1, at(20), at(20), EventSource.WEBHOOK),
                new LockEvent.SettingsChanged("home", "SN1", 1, at(30), at(30), EventSource.DETAILS, "a", "b", 1, 2));
        HistoryReader reader = new HistoryReader(store.history(), serial -> Optional.empty());
        LockHistory history = reader.read("SN1", at(0), at(60), at(600));

        assertThat(reader.newestEvents("SN1", history, 2)).extracting(StoredEvent::type).containsExactly("BellPressed", "SettingsChanged");
        assertThat(reader.newestEvents("SN1", history, 100)).extracting(StoredEvent::type).containsExactly("StateChanged", "BellPressed",
                "SettingsChanged");
    }

    @Test
    void aRangeBeforeTheFirstChangeStartsWithWhatThatChangeSaysWasBefore() {
        write(new LockEvent.StateChanged("home", "SN1", 1, at(90), at(90), EventSource.WEBHOOK, LockState.PULLED, LockState.PULLED.code(),
                LockState.UNLOCKED, LockState.UNLOCKED.code()));
        List<String> askedForCopies = new ArrayList<>();
        HistoryReader reader = new HistoryReader(store.history(), serial -> {
            askedForCopies.add(serial);
            return Optional.empty();
        });

        LockHistory history = reader.read("SN1", at(0), at(60), at(600));

        assertThat(history.states()).as("read from the first change after the range").containsExactly(
                new StateInterval("PULLED", 7, true, at(0), at(60), "WEBHOOK"));
        assertThat(askedForCopies).as("the door and the battery are still unknown: asked, none").containsExactly("SN1");
    }

    @Test
    void aLockWhoseEventsArePrunedHasItsCopysState() {
        MirroredLock copy = new MirroredLock("home", "SN9", 9, "Cellar", 2, 1, true, true,
                new DeviceState(LockState.LOCKED.code(), DoorState.CLOSED.code(), 55, false, 0, at(-5000)), null, at(500), at(-5000),
                at(-5000), at(-5000));
        HistoryReader reader = new HistoryReader(store.history(), serial -> serial.equals("SN9") ? Optional.of(copy) : Optional.empty());

        LockHistory history = reader.read("SN9", at(0), at(60), at(600));

        assertThat(history.states()).containsExactly(new StateInterval("LOCKED", 6, true, at(0), at(60), null));
        assertThat(history.battery()).containsExactly(new BatteryReading(at(0), 55));
        assertThat(history.door()).containsExactly(new DoorReading(at(0), "CLOSED", 3));
        assertThat(reader.read("SN8", at(0), at(60), at(600)).states()).as("no copy, no event: nothing").isEmpty();
    }

    @Test
    void aRangeThatEndsBeforeItStartsOnceClippedIsRefused() {
        HistoryReader reader = new HistoryReader(store.history(), serial -> Optional.empty());

        assertThatThrownBy(() -> reader.read("SN1", at(10), at(60), at(5))).isInstanceOf(IllegalArgumentException.class);
    }
}
