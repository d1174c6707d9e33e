package io.tedeesync.sync;

/** How an account's calls are going. */
public enum AccountHealth {
    /** Not synced yet. */
    STARTING,
    /** Calls succeed. */
    OK,
    /** Calls fail for now (network, server, rate limit); the engine backs off and retries; copies turn stale. */
    DEGRADED,
    /** Credentials refused even after a refresh: the engine stopped calling this account. */
    FAILED
}
