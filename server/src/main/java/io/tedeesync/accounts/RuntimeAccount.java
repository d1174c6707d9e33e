package io.tedeesync.accounts;

import io.tedeesync.client.RotatableCredentials;
import io.tedeesync.store.StoredAccount;

/**
 * An account added at runtime, while the service runs: its row as last written, its credentials in clear
 * (only here, in memory), and the rotatable credentials its client uses. Each set of credentials it is
 * given is a generation: a refresh token rotated by an older generation (a refresh still on its way when
 * the account got new credentials) is not the account's any more and is dropped. Thread-safe: guarded by
 * its own monitor, which also orders the writes of its row.
 */
final class RuntimeAccount {
    final String name;
    final RotatableCredentials credentials;
    private AccountCredentials secret;
    private StoredAccount stored;
    private int generation;
    private int tickets;
    private boolean persisting;

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

    synchronized int generation() {
        return generation;
    }

    synchronized void generation(int current) {
        this.generation = current;
    }

    /** A generation number no other set of credentials of this account was or will be given. */
    synchronized int nextTicket() {
        tickets = Math.max(tickets, generation) + 1;
        return tickets;
    }

    /** Claims the writing of the sealed row after a rotation; false when a write (or its retries) is already on its way. */
    synchronized boolean startPersisting() {
        if (persisting) {
            return false;
        }
        persisting = true;
        return true;
    }

    synchronized void persisted() {
        persisting = false;
    }

    /** The row as last written, or null before it was (or after it was deleted). */
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
