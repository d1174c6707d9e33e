package io.tedeesync.accounts;

import io.tedeesync.client.RotatableCredentials;
import io.tedeesync.store.StoredAccount;

/**
 * An account added at runtime, while the service runs: its row as stored, its credentials in clear
 * (only here, in memory) and the rotatable credentials its client uses. A refresh token the token
 * endpoint rotates to replaces the clear one, and is sealed and stored once the row exists.
 * Thread-safe: guarded by its own monitor.
 */
final class RuntimeAccount {
    final String name;
    final RotatableCredentials credentials;
    private AccountCredentials secret;
    private StoredAccount stored;

    RuntimeAccount(String name, AccountCredentials secret, RotatableCredentials credentials) {
        this.name = name;
        this.secret = secret;
        this.credentials = credentials;
    }

    synchronized AccountCredentials secret() {
        return secret;
    }

    synchronized void secret(AccountCredentials newer) {
        this.secret = newer;
    }

    /** The row as last written, or null before it was. */
    synchronized StoredAccount stored() {
        return stored;
    }

    synchronized void stored(StoredAccount row) {
        this.stored = row;
    }

    @Override
    public String toString() {
        return "RuntimeAccount[" + name + "]";
    }
}
