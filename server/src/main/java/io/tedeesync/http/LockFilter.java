package io.tedeesync.http;

import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which locks {@code GET /api/locks} answers: every condition given must hold (an empty set or a null is no
 * condition; {@code state} holds for a lock in one of {@code states}, or without a state when {@code noState}).
 * The single conditions are the definitions {@code GET /api/summary} counts by, so that a count
 * there is always the length of the matching list here. Immutable, thread-safe.
 */
record LockFilter(Set<LockState> states, boolean noState, Set<String> accounts, Boolean connected, Boolean stale, Integer batteryBelow,
        Set<DoorState> doorStates, String text) implements Predicate<LockRow> {

    @Override
    public boolean test(LockRow row) {
        LockJson view = row.view();
        return (states.isEmpty() && !noState || noState && unknownPosition(view) || states.stream().anyMatch(state -> inState(view, state)))
                && (accounts.isEmpty() || accounts.contains(row.account()))
                && (connected == null || connected == view.isConnected())
                && (stale == null || stale == view.stale())
                && (batteryBelow == null || batteryBelow(view, batteryBelow))
                && (doorStates.isEmpty() || doorStates.stream().anyMatch(door -> doorIn(view, door)))
                && (text == null || containsText(view, text));
    }

    /** {@code state=X}: the view's current state is X; a lock whose position is not known now is in none. */
    static boolean inState(LockJson view, LockState state) {
        return state.name().equals(view.state());
    }

    /**
     * {@code state=NONE}, the summary's {@code unknownPosition}: no current state (disconnected, or not reported since
     * it reconnected).
     */
    static boolean unknownPosition(LockJson view) {
        return view.state() == null;
    }

    /** {@code connected=false}: the summary's {@code offline}. */
    static boolean offline(LockJson view) {
        return !view.isConnected();
    }

    /** {@code batteryBelow=N}: a known level under N (the summary's {@code lowBattery} at its threshold). */
    static boolean batteryBelow(LockJson view, int percent) {
        return view.batteryLevel() != null && view.batteryLevel() < percent;
    }

    /** {@code doorState=X}: the view's door state is X; none without a door state. */
    static boolean doorIn(LockJson view, DoorState door) {
        return door.name().equals(view.doorState());
    }

    /** {@code q}: a substring of the name or the serial number, whatever the case; {@code lowerCased} is lower-cased already. */
    static boolean containsText(LockJson view, String lowerCased) {
        return view.name().toLowerCase(Locale.ROOT).contains(lowerCased) || view.serialNumber().toLowerCase(Locale.ROOT).contains(lowerCased);
    }
}
