package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.SimAccount;

/** An account inside the {@link World}. Not thread-safe: the world's monitor guards it. */
final class Account {

    final SimAccount identity;
    final long bridgeId;
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
