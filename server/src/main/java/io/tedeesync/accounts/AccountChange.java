package io.tedeesync.accounts;

import java.time.Duration;

/**
 * A change to an account added at runtime ({@code PATCH}): each part is applied only when present.
 *
 * @param changesInterval whether {@code syncInterval} is to be set
 * @param syncInterval    the new interval, or null for the service's
 * @param credentials     new credentials (a rotated key, a new refresh token), or null to keep them
 */
public record AccountChange(boolean changesInterval, Duration syncInterval, AccountCredentials credentials) {
    public boolean isEmpty() {
        return !changesInterval && credentials == null;
    }
}
