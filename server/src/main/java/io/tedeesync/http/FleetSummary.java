package io.tedeesync.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET /api/summary} shows: counts of the fleet in total and per account, each by the definition
 * of the {@code GET /api/locks} filter it stands for ({@link LockFilter}): {@code states[X]} is
 * {@code state=X}, {@code unknownPosition} a null state, {@code offline} {@code connected=false},
 * {@code stale} {@code stale=true}, {@code lowBattery} {@code batteryBelow=<lowBatteryBelow>},
 * {@code doorOpen} {@code doorState=OPENED}. Immutable values; {@link #count} is pure.
 *
 * @param at             since when these counts hold, as this instance counted them
 * @param lowBatteryBelow the threshold of {@code lowBattery}
 * @param total          the whole fleet
 * @param accounts       each account that has locks, by name
 */
record FleetSummary(Instant at, int lowBatteryBelow, Counts total, List<AccountCounts> accounts) {

    /** The counts of some locks; {@code states} has every lock state name, in the order of their codes. */
    record Counts(int locks, Map<String, Integer> states, int unknownPosition, int offline, int stale, int lowBattery, int doorOpen) {
        Counts {
            states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
        }
    }

    /** One account's counts: {@code {"account": ..., "locks": ..., "states": ...}}. */
    record AccountCounts(String account, @JsonUnwrapped Counts counts) {
    }

    /** The counts of the fleet, without the time: what decides whether they changed. */
    record Tally(int lowBatteryBelow, Counts total, List<AccountCounts> accounts) {
        Tally {
            accounts = List.copyOf(accounts);
        }

        FleetSummary at(Instant when) {
            return new FleetSummary(when, lowBatteryBelow, total, accounts);
        }
    }

    /** Counts the rows with a low battery below {@code lowBatteryBelow} (1..100). */
    static Tally count(List<LockRow> rows, int lowBatteryBelow) {
        if (lowBatteryBelow < 1 || lowBatteryBelow > 100) {
            throw new IllegalArgumentException("a low battery threshold is 1..100, was " + lowBatteryBelow);
        }
        Counter total = new Counter(lowBatteryBelow);
        Map<String, Counter> byAccount = new TreeMap<>();
        for (LockRow row : rows) {
            total.add(row.view());
            byAccount.computeIfAbsent(row.account(), account -> new Counter(lowBatteryBelow)).add(row.view());
        }
        List<AccountCounts> accounts = byAccount.entrySet().stream()
                .map(account -> new AccountCounts(account.getKey(), account.getValue().counts())).toList();
        return new Tally(lowBatteryBelow, total.counts(), accounts);
    }

    private static final class Counter {
        private final int lowBatteryBelow;
        private final Map<String, Integer> states = new LinkedHashMap<>();
        private int locks;
        private int unknownPosition;
        private int offline;
        private int stale;
        private int lowBattery;
        private int doorOpen;

        Counter(int lowBatteryBelow) {
            this.lowBatteryBelow = lowBatteryBelow;
            for (LockState state : LockState.values()) {
                states.put(state.name(), 0);
            }
        }

        void add(LockJson view) {
            locks++;
            for (LockState state : LockState.values()) {
                if (LockFilter.inState(view, state)) {
                    states.merge(state.name(), 1, Integer::sum);
                }
            }
            unknownPosition += LockFilter.unknownPosition(view) ? 1 : 0;
            offline += LockFilter.offline(view) ? 1 : 0;
            stale += view.stale() ? 1 : 0;
            lowBattery += LockFilter.batteryBelow(view, lowBatteryBelow) ? 1 : 0;
            doorOpen += LockFilter.doorIn(view, DoorState.OPENED) ? 1 : 0;
        }

        Counts counts() {
            return new Counts(locks, states, unknownPosition, offline, stale, lowBattery, doorOpen);
        }
    }
}
