package io.tedeesync.accounts;

import io.tedeesync.client.Credentials;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One account the service mirrors, as configured (flags or an accounts file). The credentials'
 * {@code toString()} hides the secret, and so does this record's.
 *
 * @param name         unique, shown in views and logs
 * @param apiUrl       the Tedee API
 * @param apiVersion   e.g. v37
 * @param credentials  personal key or OAuth token(s)
 * @param syncInterval this account's interval, or null for the service's
 * @param userIdentity the account's Tedee user identity for webhook routing, or null to learn it
 * @param requestTimeout upper bound of one API call ({@code --timeout})
 */
public record AccountSpec(String name, URI apiUrl, String apiVersion, Credentials credentials, Duration syncInterval, String userIdentity,
        Duration requestTimeout) {
    /** The client's default bound of one call. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

    public AccountSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** With the default request timeout. */
    public AccountSpec(String name, URI apiUrl, String apiVersion, Credentials credentials, Duration syncInterval, String userIdentity) {
        this(name, apiUrl, apiVersion, credentials, syncInterval, userIdentity, DEFAULT_REQUEST_TIMEOUT);
    }

    public AccountSpec withRequestTimeout(Duration timeout) {
        return new AccountSpec(name, apiUrl, apiVersion, credentials, syncInterval, userIdentity, timeout);
    }
}
