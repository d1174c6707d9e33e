package io.tedeesync.client;

/**
 * One lock's entry in a sync result (sync-all, {@code ?id=}-filtered sync, or sync single): only what
 * changes often. It has no serial number: match it to a known lock by id, and treat an unknown id as
 * "the lock list changed", never as a new lock.
 *
 * @param id          the lock id
 * @param connected   whether the lock is connected ({@code isConnected})
 * @param deviceState the reported state, or null when disconnected
 * @param revision    the configuration revision, or null before API v1.33 (which did not send it)
 */
public record LockSync(long id, boolean connected, DeviceState deviceState, Long revision) {
}
