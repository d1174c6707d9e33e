package io.tedeesync.sync;

import io.tedeesync.client.TedeeClient;
import java.time.Duration;
import java.util.Objects;

/**
 * One Tedee account the engine mirrors.
 *
 * @param name          unique name (shown in views, logs, events); not a secret
 * @param client        how to reach the account: the engine adds its request listener (to count the
 *                      budget) and builds the client once, at start
 * @param syncInterval  this account's sync-all interval, or null for the engine's
 * @param userIdentity  the account's Tedee user identity, when known, to route webhooks; learned from
 *                      webhooks otherwise
 */
public record AccountConfig(String name, TedeeClient.Builder client, Duration syncInterval, String userIdentity) {

    public AccountConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(client, "client");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an account needs a name");
        }
        if (syncInterval != null) {
            SyncSettings.intervalProblem(syncInterval).ifPresent(problem -> {
                throw new IllegalArgumentException("account " + name + ": the sync interval " + problem);
            });
        }
    }

    public static AccountConfig of(String name, TedeeClient.Builder client) {
        return new AccountConfig(name, client, null, null);
    }
}
