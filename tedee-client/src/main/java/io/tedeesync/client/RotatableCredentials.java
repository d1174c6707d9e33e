package io.tedeesync.client;

import java.util.Objects;

/**
 * Credentials that can be replaced while clients use them: a personal key rotated in the Tedee portal,
 * or new OAuth tokens after the user signed in again. Every request takes the current credentials, in
 * their own way (an OAuth refresh stays non-blocking), so a client built with these never needs a
 * rebuild. A 401 to a request made with the previous credentials only invalidates the current ones if
 * they gave that very header. Thread-safe; {@link #toString()} hides the secret.
 */
public final class RotatableCredentials implements Credentials {
    private volatile Credentials current;

    RotatableCredentials(Credentials initial) {
        this.current = requireCredentials(initial);
    }

    /** From now on, requests use {@code next}. */
    public void rotate(Credentials next) {
        this.current = requireCredentials(next);
    }

    /** The credentials requests use now. */
    public Credentials current() {
        return current;
    }

    @Override
    public String authorizationHeader() {
        return current.authorizationHeader();
    }

    @Override
    public boolean invalidate() {
        return current.invalidate();
    }

    @Override
    public boolean invalidate(String refusedHeader) {
        return current.invalidate(refusedHeader);
    }

    @Override
    public String scheme() {
        return current.scheme();
    }

    @Override
    public String toString() {
        return "Rotatable[" + current + "]";
    }

    private static Credentials requireCredentials(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        if (credentials instanceof RotatableCredentials) {
            throw new IllegalArgumentException("rotatable credentials cannot wrap rotatable credentials");
        }
        return credentials;
    }
}
