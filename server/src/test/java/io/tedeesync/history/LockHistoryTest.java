package io.tedeesync.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import io.tedeesync.store.EventCodec;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MirroredLock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every rule of {@link LockHistory} and {@link HistoryWindow}, on events as the store holds them: real
 * {@link LockEvent} records written by {@link EventCodec}.
 */
class LockHistoryTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final String SERIAL = "SN1";
    private long nextId = 1;

    private static Instant at(int minutes) {
        return T.plus(Duration.ofMinutes(minutes));
    }

    private StoredEvent stored(LockEvent event) {
        long id = nextId++;
        return new StoredEvent(id, event.account(), event.serialNumber(), event.lockId(), EventCodec.type(event), event.occurredAt(),
                event.observedAt(), event.source().name(), EventCodec.toJson(id, event));
    }

    private StoredEvent state(int minutes, LockState to, EventSource source) {
        return stateCode(minutes, to.code(), source);
    }

    private StoredEvent stateCode(int minutes, int code, EventSource source) {
        return stored(new LockEvent.StateChanged("home", SERIAL, 42, at(minutes), at(minutes), source, null, null, LockState.fromCode(code),
                code));
    }

    /** A position change that knew the position before it. */
    private StoredEvent change(int minutes, LockState from, LockState to, EventSource source) {
        return stored(new LockEvent.StateChanged("home", SERIAL, 42, at(minutes), at(minutes), source, from, from.code(), to, to.code()));
    }

    private StoredEvent batteryChange(int minutes, int from, int to) {
        return stored(new LockEvent.BatteryChanged("home", SERIAL, 42, at(minutes), at(minutes), EventSource.WEBHOOK, from, to));
    }

    private StoredEvent doorChange(int minutes, DoorState from, DoorState to) {
        return stored(new LockEvent.DoorStateChanged("home", SERIAL, 42, at(minutes), at(minutes), EventSource.SYNC, from, to, to.code()));
    }

    /** The lock's copy now: connected, its position current, this state, door and battery, the position changed at {@code changed}. */
    private static MirroredLock copy(boolean connected, LockState state, DoorState door, int battery, int changed) {
        return new MirroredLock("home", SERIAL, 42, "Front door", 2, 1, connected, connected,
                new DeviceState(state.code(), door.code(), battery, false, 0, at(changed)), null, at(200), at(changed), at(changed), at(changed));
    }

    /** Nothing after the range, and this copy (or none). */
    private static LockHistory.Beyond beyond(List<StoredEvent> after, MirroredLock copy) {
        return new LockHistory.Beyond() {
            @Override
            public List<StoredEvent> firstAfter() {
                return after;
            }

            @Override
            public Optional<MirroredLock> copy() {
                return Optional.ofNullable(copy);
            }
        };
    }

    private static LockHistory history(List<StoredEvent> before, List<StoredEvent> inRange, int from, int to, int now, LockHistory.Beyond beyond) {
        return LockHistory.of(before, HistoryWindow.of(at(from), at(to), at(now), inRange, LockHistory.MAX_EVENTS), beyond);
    }

    private StoredEvent connection(int minutes, boolean connected) {
        return stored(new LockEvent.ConnectionChanged("home", SERIAL, 42, at(minutes), at(minutes), EventSource.WEBHOOK, connected));
    }

    private StoredEvent battery(int minutes, int level) {
        return stored(new LockEvent.BatteryChanged("home", SERIAL, 42, at(minutes), at(minutes), EventSource.WEBHOOK, null, level));
    }

    private StoredEvent door(int minutes, DoorState to) {
        return stored(new LockEvent.DoorStateChanged("home", SERIAL, 42, at(minutes), at(minutes), EventSource.SYNC, null, to, to.code()));
    }

    private StoredEvent removed(int minutes) {
        return stored(new LockEvent.Removed("home", SERIAL, 42, at(minutes), at(minutes), EventSource.GET_ALL));
    }

    /** Added with a lock view: connected or not, position current or not, as the engine's copy says. */
    private StoredEvent added(int minutes, boolean connected, boolean positionCurrent, LockState state, int doorCode, int battery) {
        MirroredLock lock = new MirroredLock("home", SERIAL, 43, "Front door", 2, 1, connected, positionCurrent,
                new DeviceState(state.code(), doorCode, battery, false, 0, at(minutes)), null, at(minutes), at(minutes), at(minutes), at(minutes));
        return stored(new LockEvent.Added("home", SERIAL, 43, at(minutes), at(minutes), EventSource.GET_ALL, lock));
    }

    /** The history of [from, to) asked at {@code now}, no bound reached. */
    private static LockHistory history(List<StoredEvent> before, List<StoredEvent> inRange, int from, int to, int now) {
        return LockHistory.of(before, HistoryWindow.of(at(from), at(to), at(now), inRange, LockHistory.MAX_EVENTS));
    }

    private static StateInterval interval(LockState state, int from, int to, String source) {
        return new StateInterval(state.name(), state.code(), true, at(from), at(to), source);
    }

    private static StateInterval offline(int from, int to) {
        return new StateInterval(null, null, false, at(from), at(to), "WEBHOOK");
    }

    @Test
    void theFirstIntervalStartsAtFromWithWhatWasInEffectAndThatEventsSource() {
        StoredEvent before = state(-60, LockState.LOCKED, EventSource.SYNC);
        StoredEvent unlocked = state(30, LockState.UNLOCKED, EventSource.WEBHOOK);

        LockHistory history = history(List.of(before), List.of(unlocked), 0, 120, 200);

        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 30, "SYNC"),
                interval(LockState.UNLOCKED, 30, 120, "WEBHOOK"));
        assertThat(history.from()).isEqualTo(at(0));
        assertThat(history.to()).isEqualTo(at(120));
        assertThat(history.truncated()).isFalse();
    }

    @Test
    void withNothingKnownBeforeTheRangeTheFirstIntervalStartsAtTheFirstEvent() {
        LockHistory history = history(List.of(), List.of(state(30, LockState.UNLOCKED, EventSource.WEBHOOK)), 0, 120, 200);

        assertThat(history.states()).containsExactly(interval(LockState.UNLOCKED, 30, 120, "WEBHOOK"));
        assertThat(history.battery()).isEmpty();
        assertThat(history.door()).isEmpty();
    }

    @Test
    void theFirstIntervalsSourceIsTheLastStateBearingEventsBeforeTheRange() {
        // Locked by a sync, then a disconnection and a reconnection by webhook: the interval in effect was started by the webhook.
        List<StoredEvent> before = List.of(state(-60, LockState.LOCKED, EventSource.SYNC), connection(-40, false), connection(-20, true));

        LockHistory history = history(before, List.of(), 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 60, "WEBHOOK"));
    }

    @Test
    void theEventsBeforeAreReplayedInTimeOrderAndOnlyThoseBeforeTheRangeCount() {
        StoredEvent locked = state(-60, LockState.LOCKED, EventSource.SYNC);
        StoredEvent unlocked = state(-30, LockState.UNLOCKED, EventSource.WEBHOOK);
        StoredEvent notBefore = state(0, LockState.PULLED, EventSource.SYNC);

        LockHistory history = history(List.of(notBefore, unlocked, locked), List.of(), 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.UNLOCKED, 0, 60, "WEBHOOK"));
    }

    // ---- what was in effect at the start, when the log before it does not say (the retention pruned it)

    @Test
    void withNothingBeforeTheFirstChangeInTheRangeSaysWhatWasInEffectAtTheStart() {
        LockHistory history = history(List.of(), List.of(change(30, LockState.LOCKED, LockState.UNLOCKED, EventSource.WEBHOOK)), 0, 120, 200,
                beyond(List.of(), copy(true, LockState.PULLED, DoorState.CLOSED, 10, -500)));

        assertThat(history.states()).as("LOCKED before the change, from the start; its source that of the event it was read from")
                .containsExactly(interval(LockState.LOCKED, 0, 30, "WEBHOOK"), interval(LockState.UNLOCKED, 30, 120, "WEBHOOK"));
    }

    @Test
    void aFirstReconnectionInTheRangeSaysTheLockWasDisconnectedBefore() {
        LockHistory history = history(List.of(), List.of(connection(20, true), state(40, LockState.UNLOCKED, EventSource.SYNC)), 0, 60, 60,
                beyond(List.of(), copy(true, LockState.PULLED, DoorState.CLOSED, 10, -500)));

        assertThat(history.states()).containsExactly(offline(0, 20), new StateInterval(null, null, true, at(20), at(40), "WEBHOOK"),
                interval(LockState.UNLOCKED, 40, 60, "SYNC"));
    }

    @Test
    void theFirstReadingsInTheRangeSayTheLevelAndDoorBeforeThem() {
        LockHistory history = history(List.of(state(-60, LockState.LOCKED, EventSource.SYNC)),
                List.of(batteryChange(10, 81, 80), doorChange(20, DoorState.CLOSED, DoorState.OPENED), batteryChange(30, 80, 79)), 0, 60, 60,
                beyond(List.of(), copy(true, LockState.LOCKED, DoorState.OPENED, 79, -60)));

        assertThat(history.battery()).containsExactly(new BatteryReading(at(0), 81), new BatteryReading(at(10), 80),
                new BatteryReading(at(30), 79));
        assertThat(history.door()).containsExactly(new DoorReading(at(0), "CLOSED", 3), new DoorReading(at(20), "OPENED", 2));
    }

    @Test
    void aFirstEventAfterTheRangeSaysWhatWasInEffectThroughIt() {
        // A range in the past with nothing in it; the first change after it was from LOCKED, with a battery from 64.
        List<StoredEvent> after = List.of(change(90, LockState.LOCKED, LockState.UNLOCKED, EventSource.SYNC), batteryChange(95, 64, 63));

        LockHistory history = history(List.of(), List.of(), 0, 60, 200, beyond(after, copy(true, LockState.UNLOCKED, DoorState.CLOSED, 63, 90)));

        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 60, "SYNC"));
        assertThat(history.battery()).containsExactly(new BatteryReading(at(0), 64));
        assertThat(history.door()).as("no door event at all: the copy's door, which has not changed since").containsExactly(
                new DoorReading(at(0), "CLOSED", 3));
    }

    @Test
    void aLockWithNoEventAtAllTakesItsCopyFromItsLastChangeOrTheStart() {
        LockHistory quiet = history(List.of(), List.of(), 0, 60, 60, beyond(List.of(), copy(true, LockState.LOCKED, DoorState.CLOSED, 70, -500)));
        LockHistory changedInside = history(List.of(), List.of(), 0, 60, 60,
                beyond(List.of(), copy(true, LockState.UNLOCKED, DoorState.OPENED, 70, 25)));
        LockHistory offlineCopy = history(List.of(), List.of(), 0, 60, 60, beyond(List.of(), copy(false, LockState.LOCKED, DoorState.CLOSED, 70, -500)));

        assertThat(quiet.states()).as("no event said it: no source").containsExactly(new StateInterval("LOCKED", 6, true, at(0), at(60), null));
        assertThat(quiet.battery()).containsExactly(new BatteryReading(at(0), 70));
        assertThat(quiet.door()).containsExactly(new DoorReading(at(0), "CLOSED", 3));
        assertThat(changedInside.states()).as("not known before its last change")
                .containsExactly(new StateInterval("UNLOCKED", 2, true, at(25), at(60), null));
        assertThat(offlineCopy.states()).containsExactly(new StateInterval(null, null, false, at(0), at(60), null));
    }

    @Test
    void aFirstAddedInTheRangeMeansThereWasNoLockBeforeIt() {
        LockHistory history = history(List.of(), List.of(added(30, true, true, LockState.UNLOCKED, DoorState.CLOSED.code(), 80),
                change(40, LockState.UNLOCKED, LockState.LOCKED, EventSource.WEBHOOK)), 0, 60, 60,
                beyond(List.of(), copy(true, LockState.LOCKED, DoorState.CLOSED, 80, 40)));

        assertThat(history.states()).containsExactly(interval(LockState.UNLOCKED, 30, 40, "GET_ALL"), interval(LockState.LOCKED, 40, 60, "WEBHOOK"));
        assertThat(history.battery()).containsExactly(new BatteryReading(at(30), 80));
    }

    @Test
    void aFirstAddedAfterTheRangeLeavesItEmptyAndTheCopyUnasked() {
        LockHistory history = history(List.of(), List.of(), 0, 60, 200,
                beyond(List.of(added(90, true, true, LockState.LOCKED, 3, 80)), copy(true, LockState.LOCKED, DoorState.CLOSED, 80, 90)));

        assertThat(history.states()).isEmpty();
        assertThat(history.battery()).isEmpty();
    }

    @Test
    void aFirstChangeThatKnewNoPositionBeforeItStartsWithAnUnknownPosition() {
        // As after an Added without a position, pruned: connected (the copy says so, and no connection event since), position unknown.
        LockHistory history = history(List.of(), List.of(state(30, LockState.UNLOCKED, EventSource.WEBHOOK)), 0, 120, 200,
                beyond(List.of(), copy(true, LockState.UNLOCKED, DoorState.CLOSED, 80, 30)));

        assertThat(history.states()).as("the copy's position is not taken: the change at 30 said none was known before it")
                .containsExactly(new StateInterval(null, null, true, at(0), at(30), null), interval(LockState.UNLOCKED, 30, 120, "WEBHOOK"));
    }

    @Test
    void whatTheLogBeforeSaysIsNotAskedBeyond() {
        LockHistory.Beyond refusing = new LockHistory.Beyond() {
            @Override
            public List<StoredEvent> firstAfter() {
                throw new AssertionError("asked for the events after the range");
            }

            @Override
            public Optional<MirroredLock> copy() {
                throw new AssertionError("asked for the copy");
            }
        };

        LockHistory history = history(List.of(added(-30, true, true, LockState.LOCKED, 3, 64)), List.of(), 0, 60, 60, refusing);

        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 60, "GET_ALL"));
    }

    // ---- the connection

    @Test
    void aPositionDatedInsideADisconnectionShowsFromTheReconnection() {
        // Disconnected at 10, turned by hand at 20 while offline, reconnected at 30: the sync then dates the position at 20.
        List<StoredEvent> inRange = List.of(connection(10, false), state(20, LockState.UNLOCKED, EventSource.SYNC), connection(30, true));

        LockHistory history = history(List.of(state(-5, LockState.LOCKED, EventSource.SYNC)), inRange, 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 10, "SYNC"), offline(10, 30),
                interval(LockState.UNLOCKED, 30, 60, "WEBHOOK"));
    }

    @Test
    void aRangeStartingBetweenSuchAPositionAndTheReconnectionStartsDisconnected() {
        List<StoredEvent> before = List.of(state(-60, LockState.LOCKED, EventSource.SYNC), connection(-50, false),
                state(-40, LockState.UNLOCKED, EventSource.SYNC));

        LockHistory history = history(before, List.of(connection(20, true)), 0, 60, 60);

        assertThat(history.states()).containsExactly(new StateInterval(null, null, false, at(0), at(20), "SYNC"),
                interval(LockState.UNLOCKED, 20, 60, "WEBHOOK"));
    }

    @Test
    void whileDisconnectedTheStateIsNullAndOnReconnectingTheLastKnownPositionHoldsAgain() {
        List<StoredEvent> inRange = List.of(connection(10, false), connection(20, true), state(30, LockState.UNLOCKED, EventSource.SYNC));

        LockHistory history = history(List.of(state(-5, LockState.LOCKED, EventSource.SYNC)), inRange, 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 10, "SYNC"), offline(10, 20),
                interval(LockState.LOCKED, 20, 30, "WEBHOOK"), interval(LockState.UNLOCKED, 30, 60, "SYNC"));
    }

    @Test
    void aRangeStartingWhileDisconnectedStartsWithANullState() {
        LockHistory history = history(List.of(state(-60, LockState.LOCKED, EventSource.SYNC), connection(-10, false)),
                List.of(connection(20, true)), 0, 60, 60);

        assertThat(history.states()).containsExactly(offline(0, 20), interval(LockState.LOCKED, 20, 60, "WEBHOOK"));
    }

    @Test
    void adjacentIntervalsThatSayTheSameAreOne() {
        // A reconnection the log holds while the lock was connected already (a row written twice, say) changes nothing.
        List<StoredEvent> inRange = List.of(connection(10, true), state(20, LockState.UNLOCKED, EventSource.SYNC));

        LockHistory history = history(List.of(state(-5, LockState.LOCKED, EventSource.SYNC), connection(-10, true)), inRange, 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 20, "SYNC"), interval(LockState.UNLOCKED, 20, 60, "SYNC"));
    }

    @Test
    void aReconnectionFirstInTheRangeSaysTheLockWasDisconnectedBeforeWhateverPositionTheLogKnew() {
        List<StoredEvent> inRange = List.of(connection(10, true), state(20, LockState.UNLOCKED, EventSource.SYNC));

        LockHistory history = history(List.of(state(-5, LockState.LOCKED, EventSource.SYNC)), inRange, 0, 60, 60);

        assertThat(history.states()).containsExactly(new StateInterval(null, null, false, at(0), at(10), "SYNC"),
                interval(LockState.LOCKED, 10, 20, "WEBHOOK"), interval(LockState.UNLOCKED, 20, 60, "SYNC"));
    }

    @Test
    void aChangeOfNoLengthIsLeftOutAndTheSameStatesAroundItAreOne() {
        // Locking and locked again in one millisecond (two events of one sync): LOCKING lasted no time.
        List<StoredEvent> inRange = List.of(state(20, LockState.LOCKING, EventSource.SYNC), state(20, LockState.LOCKED, EventSource.SYNC));

        LockHistory history = history(List.of(state(-5, LockState.LOCKED, EventSource.WEBHOOK)), inRange, 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 60, "WEBHOOK"));
    }

    @Test
    void anEventAtTheVeryStartReplacesWhatWasInEffect() {
        LockHistory history = history(List.of(state(-5, LockState.LOCKED, EventSource.SYNC), battery(-5, 80)),
                List.of(state(0, LockState.UNLOCKED, EventSource.WEBHOOK), battery(0, 79)), 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.UNLOCKED, 0, 60, "WEBHOOK"));
        assertThat(history.battery()).as("two readings at one time: the later holds").containsExactly(new BatteryReading(at(0), 79));
    }

    @Test
    void aRemovalEndsTheIntervalAndAddedStartsOneFromItsLockView() {
        List<StoredEvent> inRange = List.of(removed(10), added(30, true, true, LockState.UNLOCKED, DoorState.CLOSED.code(), 80));

        LockHistory history = history(List.of(state(-5, LockState.LOCKED, EventSource.SYNC)), inRange, 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 10, "SYNC"), interval(LockState.UNLOCKED, 30, 60, "GET_ALL"));
    }

    @Test
    void aLockRemovedBeforeTheRangeHasNothingInEffectAtItsStart() {
        LockHistory history = history(List.of(state(-60, LockState.LOCKED, EventSource.SYNC), battery(-50, 70), removed(-10)), List.of(),
                0, 60, 60);

        assertThat(history.states()).isEmpty();
        assertThat(history.battery()).isEmpty();
    }

    @Test
    void addedWithoutACurrentPositionIsConnectedWithANullStateAndAddedOfflineIsDisconnected() {
        LockHistory unknownPosition = history(List.of(), List.of(added(10, true, false, LockState.LOCKED, 3, 50)), 0, 60, 60);
        LockHistory offlineLock = history(List.of(), List.of(added(10, false, true, LockState.LOCKED, 3, 50)), 0, 60, 60);

        assertThat(unknownPosition.states()).containsExactly(new StateInterval(null, null, true, at(10), at(60), "GET_ALL"));
        assertThat(offlineLock.states()).containsExactly(new StateInterval(null, null, false, at(10), at(60), "GET_ALL"));
    }

    @Test
    void anUndocumentedCodeIsUnknownWithItsRawCode() {
        LockHistory history = history(List.of(), List.of(stateCode(10, 255, EventSource.SYNC)), 0, 60, 60);

        assertThat(history.states()).containsExactly(new StateInterval("UNKNOWN", 255, true, at(10), at(60), "SYNC"));
    }

    @Test
    void anEndAfterNowIsClippedToNow() {
        LockHistory history = history(List.of(state(-5, LockState.LOCKED, EventSource.SYNC)), List.of(), 0, 600, 45);

        assertThat(history.to()).isEqualTo(at(45));
        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 45, "SYNC"));
    }

    @Test
    void batteryIsTheLevelInEffectAtTheStartThenEachChange() {
        List<StoredEvent> inRange = List.of(battery(10, 79), battery(20, 78), removed(30),
                added(40, true, true, LockState.LOCKED, 3, 78), added(50, true, true, LockState.LOCKED, 3, 78));

        LockHistory history = history(List.of(battery(-30, 80), state(-30, LockState.LOCKED, EventSource.SYNC)), inRange, 0, 60, 60);

        assertThat(history.battery()).as("a re-added lock's level is a reading; the same level added again is not")
                .containsExactly(new BatteryReading(at(0), 80), new BatteryReading(at(10), 79), new BatteryReading(at(20), 78),
                        new BatteryReading(at(40), 78));
    }

    @Test
    void theLevelOfAnAddedBeforeTheRangeIsInEffectAtItsStart() {
        LockHistory history = history(List.of(added(-30, true, true, LockState.LOCKED, 3, 64)), List.of(), 0, 60, 60);

        assertThat(history.battery()).containsExactly(new BatteryReading(at(0), 64));
        assertThat(history.door()).containsExactly(new DoorReading(at(0), "CLOSED", 3));
        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 0, 60, "GET_ALL"));
    }

    @Test
    void doorIsTheStateInEffectAtTheStartThenEachChangeAsTheLockViewNamesIt() {
        List<StoredEvent> inRange = List.of(door(10, DoorState.OPENED), door(20, DoorState.CLOSED),
                stored(new LockEvent.DoorStateChanged("home", SERIAL, 42, at(30), at(30), EventSource.SYNC, DoorState.CLOSED,
                        DoorState.UNKNOWN, 77)));

        LockHistory history = history(List.of(door(-10, DoorState.CLOSED)), inRange, 0, 60, 60);

        assertThat(history.door()).containsExactly(new DoorReading(at(0), "CLOSED", 3), new DoorReading(at(10), "OPENED", 2),
                new DoorReading(at(20), "CLOSED", 3), new DoorReading(at(30), "UNKNOWN", 77));
        assertThat(history.states()).as("door events say nothing of the position").isEmpty();
    }

    @Test
    void anAddedWhoseDoorIsNotNamedGivesNoDoorReading() {
        // DeviceState.ABSENT: an API version without door states; the view shows UNKNOWN, which is not a reading.
        LockHistory history = history(List.of(), List.of(added(10, true, true, LockState.LOCKED, DeviceState.ABSENT, 50)), 0, 60, 60);

        assertThat(history.door()).isEmpty();
        assertThat(history.battery()).containsExactly(new BatteryReading(at(10), 50));
    }

    @Test
    void anEventWhoseJsonLacksWhatItsTypeSaysIsPassedOver() {
        StoredEvent good = state(10, LockState.UNLOCKED, EventSource.SYNC);
        StoredEvent broken = new StoredEvent(99, "home", SERIAL, 42L, "StateChanged", at(20), at(20), "SYNC", "{\"type\":\"StateChanged\"}");
        StoredEvent notJson = new StoredEvent(100, "home", SERIAL, 42L, "BatteryChanged", at(30), at(30), "SYNC", "not json");

        LockHistory history = history(List.of(), List.of(good, broken, notJson), 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.UNLOCKED, 10, 60, "SYNC"));
        assertThat(history.battery()).isEmpty();
    }

    @Test
    void aRangeWithMoreEventsThanTheBoundKeepsTheNewestAndStartsAtTheOldestKept() {
        List<StoredEvent> newest = new ArrayList<>();
        newest.add(state(5, LockState.UNLOCKED, EventSource.SYNC)); // the one more than the bound: cut
        newest.add(battery(5, 70)); // at the cut's very time: cut too, its time is before the window now
        newest.add(state(10, LockState.LOCKED, EventSource.WEBHOOK));
        newest.add(state(20, LockState.UNLOCKED, EventSource.WEBHOOK));
        newest.add(battery(30, 60));

        HistoryWindow window = HistoryWindow.of(at(0), at(60), at(60), newest, 4);

        assertThat(window.truncated()).isTrue();
        assertThat(window.from()).isEqualTo(at(10));
        assertThat(window.events()).extracting(StoredEvent::id).containsExactly(3L, 4L, 5L);
        // What the store finds before the new start: the cut events themselves.
        LockHistory history = LockHistory.of(List.of(newest.get(0), newest.get(1)), window);
        assertThat(history.truncated()).isTrue();
        assertThat(history.from()).isEqualTo(at(10));
        assertThat(history.states()).containsExactly(interval(LockState.LOCKED, 10, 20, "WEBHOOK"),
                interval(LockState.UNLOCKED, 20, 60, "WEBHOOK"));
        assertThat(history.battery()).containsExactly(new BatteryReading(at(10), 70), new BatteryReading(at(30), 60));
    }

    @Test
    void aRangeWithExactlyTheBoundIsWhole() {
        List<StoredEvent> newest = List.of(state(20, LockState.UNLOCKED, EventSource.SYNC), state(10, LockState.LOCKED, EventSource.SYNC));

        HistoryWindow window = HistoryWindow.of(at(0), at(90), at(60), newest, 2);

        assertThat(window.truncated()).isFalse();
        assertThat(window.from()).isEqualTo(at(0));
        assertThat(window.to()).isEqualTo(at(60));
        assertThat(window.events()).as("by the time they happened").extracting(StoredEvent::id).containsExactly(2L, 1L);
    }

    @Test
    void eventsAreTakenByTheTimeTheyHappenedNotTheLogsOrder() {
        // The log holds the later change first (a sync answer's position dated before a webhook that came first, say).
        StoredEvent later = state(30, LockState.LOCKED, EventSource.WEBHOOK);
        StoredEvent earlier = state(20, LockState.UNLOCKED, EventSource.SYNC);

        LockHistory history = history(List.of(), List.of(later, earlier), 0, 60, 60);

        assertThat(history.states()).containsExactly(interval(LockState.UNLOCKED, 20, 30, "SYNC"), interval(LockState.LOCKED, 30, 60, "WEBHOOK"));
    }
}
