package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.Fault;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Faults waiting for the next API requests, first injected first played; one aimed at an account
 * waits for that account's requests, one aimed at a route waits for that route's (the OAuth routes
 * get only those), and a bad element waits for a list answer it can spoil.
 * Thread-safe.
 */
final class FaultQueue {

    private static final class Pending {
        final Fault fault;
        final String account;
        int remaining;

        Pending(Fault fault, String account, int remaining) {
            this.fault = fault;
            this.account = account;
            this.remaining = remaining;
        }
    }

    private final List<Pending> pending = new ArrayList<>();

    /** @param account the account it waits for, or null for any */
    synchronized void add(Fault fault, int times, String account) {
        Objects.requireNonNull(fault, "fault");
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        pending.add(new Pending(fault, account, times));
    }

    /**
     * The fault to play instead of this account's request, if one waits for it; uses it up. A
     * {@link Fault.BadElement} is not played here: it waits for a list answer ({@link #takeBadElement}).
     */
    synchronized Optional<Fault> take(String account, String method, String route) {
        if (pending.isEmpty()) {
            return Optional.empty(); // the everyday case: no allocation
        }
        return takeFirst(account, fault -> !(fault instanceof Fault.BadElement)
                && (!(fault instanceof Fault.Aimed aimed) || (aimed.method().equals(method) && aimed.route().equals(route))))
                .map(fault -> fault instanceof Fault.Aimed aimed ? aimed.fault() : fault);
    }

    /**
     * The fault aimed at this route that waits for a request of no particular account (an OAuth
     * request, whose account is not known before it is answered), if one does; uses it up.
     */
    synchronized Optional<Fault> takeAimed(String method, String route) {
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        return takeFirst(null, fault -> fault instanceof Fault.Aimed aimed
                && aimed.method().equals(method) && aimed.route().equals(route))
                .map(fault -> ((Fault.Aimed) fault).fault());
    }

    /** Whether a bad-element fault waits that this account's list answers could meet. */
    synchronized boolean hasBadElement(String account) {
        for (Pending next : pending) {
            if (next.fault instanceof Fault.BadElement && (next.account == null || next.account.equals(account))) {
                return true;
            }
        }
        return false;
    }

    /** The bad-element fault to play on this account's list answer, if one waits that {@code applies} to it; uses it up. */
    synchronized Optional<Fault.BadElement> takeBadElement(String account, Predicate<Fault.BadElement> applies) {
        return takeFirst(account, fault -> fault instanceof Fault.BadElement bad && applies.test(bad))
                .map(Fault.BadElement.class::cast);
    }

    private Optional<Fault> takeFirst(String account, Predicate<Fault> playable) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending next = it.next();
            if ((next.account == null || next.account.equals(account)) && playable.test(next.fault)) {
                if (--next.remaining == 0) {
                    it.remove();
                }
                return Optional.of(next.fault);
            }
        }
        return Optional.empty();
    }
}
