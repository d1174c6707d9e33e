package io.tedeesync.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The leases this instance holds: each account's fencing token and until when it may call Tedee for it:
 * the time the renewal (or acquisition) was sent plus the lease less a margin, so never past the moment the
 * database lets another instance take it. That time is kept on two clocks and the earlier end wins: the
 * monotonic one (a wall clock stepped back cannot stretch a lease) and the wall clock (the monotonic one
 * stands still while the host is suspended). Thread-safe.
 */
final class HeldLeases {
    /** One held lease. */
    static final class Held {
        final long token;
        private volatile long validUntilNanos;
        private volatile long validUntilMillis;
        /** Set when a hand-over began: completes once the lease is released (or given up). */
        volatile CompletableFuture<Void> leaving;

        Held(long token, long validUntilNanos, long validUntilMillis) {
            this.token = token;
            this.validUntilNanos = validUntilNanos;
            this.validUntilMillis = validUntilMillis;
        }
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final LongSupplier wallMillis;
    private final long validityNanos;

    /**
     * @param nanoTime      a monotonic clock ({@code System::nanoTime})
     * @param wallMillis    the wall clock ({@code System::currentTimeMillis})
     * @param validityNanos how long after a renewal was sent the lease counts as valid here
     */
    HeldLeases(LongSupplier nanoTime, LongSupplier wallMillis, long validityNanos) {
        this.nanoTime = nanoTime;
        this.wallMillis = wallMillis;
        this.validityNanos = validityNanos;
    }

    /** A moment on both clocks: when a renewal or an acquisition was sent. */
    record Sent(long nanos, long millis) {
    }

    Sent sent() {
        return new Sent(nanoTime.getAsLong(), wallMillis.getAsLong());
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** A lease just taken, its acquisition sent at {@code sent}. */
    Held put(String account, long token, Sent sent) {
        Held lease = new Held(token, sent.nanos() + validityNanos, sent.millis() + validityNanos / 1_000_000);
        held.put(account, lease);
        return lease;
    }

    Held get(String account) {
        return held.get(account);
    }

    boolean holds(String account) {
        return held.containsKey(account);
    }

    /** Forgets the lease if it is still this one. */
    boolean remove(String account, Held lease) {
        return held.remove(account, lease);
    }

    void remove(String account) {
        held.remove(account);
    }

    OptionalLong token(String account) {
        Held lease = held.get(account);
        return lease == null ? OptionalLong.empty() : OptionalLong.of(lease.token);
    }

    /** Whether the account's lease is held and still valid here. */
    boolean mayCall(String account) {
        Held lease = held.get(account);
        return lease != null && nanoTime.getAsLong() - lease.validUntilNanos < 0 && wallMillis.getAsLong() < lease.validUntilMillis;
    }

    /** Each held account's token, for a heartbeat. */
    Map<String, Long> tokens() {
        Map<String, Long> tokens = new HashMap<>();
        held.forEach((account, lease) -> tokens.put(account, lease.token));
        return tokens;
    }

    /**
     * A heartbeat sent at {@code sent} with {@code tokens} renewed {@code renewed}: those are valid for
     * another lease; the others sent were lost (taken over, or their row removed).
     *
     * @return the leases lost, still held here: the caller drops them
     */
    Map<String, Held> renewed(Map<String, Long> tokens, Set<String> renewed, Sent sent) {
        Map<String, Held> lost = new HashMap<>();
        for (Map.Entry<String, Long> token : tokens.entrySet()) {
            Held lease = held.get(token.getKey());
            if (lease == null || lease.token != token.getValue()) {
                continue; // released or taken again meanwhile
            }
            if (renewed.contains(token.getKey())) {
                lease.validUntilNanos = sent.nanos() + validityNanos;
                lease.validUntilMillis = sent.millis() + validityNanos / 1_000_000;
            } else {
                lost.put(token.getKey(), lease);
            }
        }
        return lost;
    }

    /** The accounts held, by name. */
    List<String> accounts() {
        List<String> accounts = new ArrayList<>(held.keySet());
        accounts.sort(null);
        return accounts;
    }

    int size() {
        return held.size();
    }

    /** The hand-overs on their way, to wait for. */
    List<CompletableFuture<Void>> leaving() {
        List<CompletableFuture<Void>> leaving = new ArrayList<>();
        held.values().forEach(lease -> {
            CompletableFuture<Void> future = lease.leaving;
            if (future != null) {
                leaving.add(future);
            }
        });
        return leaving;
    }

    /** Every held lease, for a last hand-over. */
    Map<String, Held> all() {
        return Map.copyOf(held);
    }
}
