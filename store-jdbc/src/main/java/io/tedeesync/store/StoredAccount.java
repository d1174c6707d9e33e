package io.tedeesync.store;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An account added at runtime, as the store keeps it so that it survives a restart. The store never
 * sees a secret in clear: {@code sealedCredentials} is whatever the server made of the credentials
 * (encrypted), kept and given back as it is, and never shown by {@link #toString()}. Times and the
 * interval are kept to the millisecond. Immutable, so thread-safe.
 *
 * @param name              the account's name, unique in the store; the same name its locks and events carry
 * @param credentialKind    how {@code sealedCredentials} is to be read, e.g. {@code personal-key}; the server's word
 * @param sealedCredentials the credentials as the server sealed them: opaque to the store
 * @param apiUrl            the base URL of the account's Tedee API
 * @param apiVersion        the API version the account speaks, e.g. {@code v1.36}
 * @param syncInterval      how often the account is synced, or null for the service's default; positive
 * @param userIdentity      who the credentials belong to, as the API reported it, or null when not known
 * @param addedAt           when the account was added; an update never changes it
 * @param updatedAt         when the account was last changed (equal to {@code addedAt} until then)
 */
public record StoredAccount(String name, String credentialKind, String sealedCredentials, URI apiUrl, String apiVersion,
        Duration syncInterval, String userIdentity, Instant addedAt, Instant updatedAt) {

    /**
     * @throws NullPointerException     when anything but {@code syncInterval} or {@code userIdentity} is null
     * @throws IllegalArgumentException when the name is blank or the interval is not positive
     */
    public StoredAccount {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(credentialKind, "credentialKind");
        Objects.requireNonNull(sealedCredentials, "sealedCredentials");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(addedAt, "addedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an account name must not be blank");
        }
        // A zero or negative interval would be a sync loop without pause, not a setting.
        if (syncInterval != null && (syncInterval.isZero() || syncInterval.isNegative())) {
            throw new IllegalArgumentException("the sync interval of account " + name + " must be positive, not "
                    + syncInterval);
        }
    }

    /** The same account with new sealed credentials, changed {@code at}. */
    public StoredAccount withSealedCredentials(String sealed, Instant at) {
        return new StoredAccount(name, credentialKind, sealed, apiUrl, apiVersion, syncInterval, userIdentity, addedAt,
                at);
    }

    /** The same account synced every {@code interval} (null: the service's default), changed {@code at}. */
    public StoredAccount withSyncInterval(Duration interval, Instant at) {
        return new StoredAccount(name, credentialKind, sealedCredentials, apiUrl, apiVersion, interval, userIdentity,
                addedAt, at);
    }

    /** Every field but the sealed credentials, which show as {@code sealed=hidden}. */
    @Override
    public String toString() {
        return "StoredAccount[name=" + name + ", credentialKind=" + credentialKind + ", sealed=hidden, apiUrl=" + apiUrl
                + ", apiVersion=" + apiVersion + ", syncInterval=" + syncInterval + ", userIdentity=" + userIdentity
                + ", addedAt=" + addedAt + ", updatedAt=" + updatedAt + "]";
    }
}
