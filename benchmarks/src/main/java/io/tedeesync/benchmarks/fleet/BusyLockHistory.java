package io.tedeesync.benchmarks.fleet;

import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.SyncEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The seeded past of the busy lock: {@code days} days of {@code eventsPerDay} events each, evenly spaced, ending
 * a minute before the seeding, written through the store's own API ({@link LockStore#onBatches}) before the
 * service starts, with the account, serial and id the simulator has. The events repeat a pattern of 25 slots:
 * six rounds of unlock, door opened, door closed, lock ({@code StateChanged}, {@code DoorStateChanged}, source
 * WEBHOOK), then one {@code BatteryChanged} one percent lower (back to 100 below 10: new batteries). Once a day,
 * at noon of its slots, the lock drops off for three slots: {@code ConnectionChanged} false, true, then the
 * position known again ({@code StateChanged} from null, source SYNC). So 1,000 a day are 960 lock and door
 * changes (480 state intervals), 37-40 battery readings and one disconnection. Immutable after {@link #generate}.
 */
final class BusyLockHistory {
    static final byte STATE = 0;
    static final byte DOOR = 1;
    static final byte BATTERY = 2;
    static final byte CONNECTION = 3;
    private static final int BATCH_EVENTS = 1_000;
    private static final Duration OBSERVED_AFTER = Duration.ofMillis(300);

    /** The busy lock's state after its last event, for the simulator. */
    record Ending(int stateCode, int doorCode, int battery) {
    }

    private final List<LockEvent> events;
    private final long[] occurredMillis;
    private final byte[] kinds;
    private final Ending ending;

    private BusyLockHistory(List<LockEvent> events, long[] occurredMillis, byte[] kinds, Ending ending) {
        this.events = events;
        this.occurredMillis = occurredMillis;
        this.kinds = kinds;
        this.ending = ending;
    }

    static BusyLockHistory generate(FleetWorld.Lock lock, int days, int eventsPerDay, Instant end) {
        int total = days * eventsPerDay;
        long periodNanos = Duration.ofDays(1).toNanos() / eventsPerDay;
        Instant start = end.minus(Duration.ofDays(days));
        List<LockEvent> events = new ArrayList<>(total);
        long[] occurred = new long[total];
        byte[] kinds = new byte[total];
        boolean locked = true;
        boolean doorOpen = false;
        int battery = 100;
        int phase = 0;
        for (int slot = 0; slot < total; slot++) {
            Instant at = start.plusNanos(periodNanos * (slot + 1));
            Instant seen = at.plus(OBSERVED_AFTER);
            int ofDay = slot % eventsPerDay - eventsPerDay / 2;
            LockEvent event;
            if (ofDay >= 0 && ofDay < 3) { // the daily disconnection; the pattern resumes after it
                event = ofDay < 2
                        ? new LockEvent.ConnectionChanged(lock.account(), lock.serialNumber(), lock.id(), at, seen, EventSource.SYNC, ofDay == 1)
                        : stateChange(lock, at, seen, EventSource.SYNC, null, locked);
                kinds[slot] = ofDay < 2 ? CONNECTION : STATE;
            } else {
                int step = phase % 25;
                phase++;
                if (step == 24) {
                    int next = battery <= 10 ? 100 : battery - 1;
                    event = new LockEvent.BatteryChanged(lock.account(), lock.serialNumber(), lock.id(), at, seen, EventSource.WEBHOOK,
                            battery, next);
                    battery = next;
                    kinds[slot] = BATTERY;
                } else if (step % 4 == 0 || step % 4 == 3) { // unlock, then lock
                    event = stateChange(lock, at, seen, EventSource.WEBHOOK, locked, !locked);
                    locked = !locked;
                    kinds[slot] = STATE;
                } else {
                    event = new LockEvent.DoorStateChanged(lock.account(), lock.serialNumber(), lock.id(), at, seen, EventSource.WEBHOOK,
                            doorOpen ? DoorState.OPENED : DoorState.CLOSED, doorOpen ? DoorState.CLOSED : DoorState.OPENED,
                            doorOpen ? DoorState.CLOSED.code() : DoorState.OPENED.code());
                    doorOpen = !doorOpen;
                    kinds[slot] = DOOR;
                }
            }
            events.add(event);
            occurred[slot] = at.toEpochMilli();
        }
        Ending ending = new Ending(locked ? LockState.LOCKED.code() : LockState.UNLOCKED.code(),
                doorOpen ? DoorState.OPENED.code() : DoorState.CLOSED.code(), battery);
        return new BusyLockHistory(List.copyOf(events), occurred, kinds, ending);
    }

    private static LockEvent stateChange(FleetWorld.Lock lock, Instant at, Instant seen, EventSource source, Boolean fromLocked,
            boolean toLocked) {
        LockState from = fromLocked == null ? null : fromLocked ? LockState.LOCKED : LockState.UNLOCKED;
        LockState to = toLocked ? LockState.LOCKED : LockState.UNLOCKED;
        return new LockEvent.StateChanged(lock.account(), lock.serialNumber(), lock.id(), at, seen, source, from,
                from == null ? null : from.code(), to, to.code());
    }

    Ending ending() {
        return ending;
    }

    int size() {
        return events.size();
    }

    /** Seeded events of this kind ({@link #STATE}, ...) with {@code from <= occurredAt < to}. */
    int count(int kind, Instant from, Instant to) {
        long low = from.toEpochMilli();
        long high = to.toEpochMilli();
        int count = 0;
        for (int index = 0; index < occurredMillis.length; index++) {
            if (kinds[index] == kind && occurredMillis[index] >= low && occurredMillis[index] < high) {
                count++;
            }
        }
        return count;
    }

    /**
     * Writes the events into the store, {@value #BATCH_EVENTS} per change batch, several batches per transaction
     * (the engine's group commit), and checks that the log holds them all; returns the seconds it took.
     */
    double seed(StoreConfig config) {
        long started = System.nanoTime();
        try (LockStore store = LockStore.open(config)) {
            long before = store.lastEventId();
            List<ChangeBatch> group = new ArrayList<>();
            for (int first = 0; first < events.size(); first += BATCH_EVENTS) {
                List<LockEvent> slice = events.subList(first, Math.min(events.size(), first + BATCH_EVENTS));
                LockEvent last = slice.get(slice.size() - 1);
                group.add(new ChangeBatch(last.account(), observedAt(last), List.<SyncEvent>copyOf(slice), List.of(), Set.of()));
                if (group.size() == 5) {
                    store.onBatches(group);
                    group.clear();
                }
            }
            if (!group.isEmpty()) {
                store.onBatches(group);
            }
            long written = store.lastEventId() - before;
            if (written != events.size()) {
                throw new IllegalStateException("the store holds " + written + " new events, " + events.size() + " were written");
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static Instant observedAt(LockEvent event) {
        return event.occurredAt().plus(OBSERVED_AFTER);
    }
}
