package io.tedeesync.accounts;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * An account to add at runtime.
 *
 * @param name         unique; letters, digits and {@code . _ @ -}, at most 64
 * @param credentials  its personal key or OAuth grant
 * @param syncInterval its interval, or null for the service's
 * @param apiUrl       the Tedee API, or null for the service's
 * @param apiVersion   the API version, or null for the service's
 * @param userIdentity its Tedee user identity for webhook routing, or null to learn it
 */
public record NewAccount(String name, AccountCredentials credentials, Duration syncInterval, URI apiUrl, String apiVersion,
        String userIdentity) {
    public NewAccount {
        Objects.requireNonNull(credentials, "credentials");
        AccountNames.check(name);
    }

    @Override
    public String toString() {
        return "NewAccount[" + name + ", " + credentials.kind() + "]";
    }
}
