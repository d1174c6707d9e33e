package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.SimAccount;
import java.util.TreeMap;

/** An account inside the {@link World}. Not thread-safe: the world's monitor guards it. */
final class Account {

    final SimAccount identity;
    final long bridgeId;
    /**
     * The locks this account sees (present, with an access of this account), by id: what get-all and
     * sync-all answer, kept by the world on every add, share, removal and re-add, so that an answer
     * costs the account's locks and not every lock of the world.
     */
    final TreeMap<Long, LockDevice> visible = new TreeMap<>();
    boolean keyRevoked;
    boolean webhooksEnabled = true;

    Account(SimAccount identity, long bridgeId) {
        this.identity = identity;
        this.bridgeId = bridgeId;
    }

    String name() {
        return identity.name();
    }
}
