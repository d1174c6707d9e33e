package io.tedeesync.simulator;

import java.util.Objects;

/**
 * An account of the simulated Tedee cloud: a user with a personal access key.
 *
 * <p>Immutable and thread-safe. {@link #toString()} hides the key, so an account can be logged.
 *
 * @param name the account's name, unique in one simulator
 * @param personalKey the personal access key that authenticates as this account
 * @param userIdentity the user's identity (a UUID string), as it appears in lock models and webhooks
 */
public record SimAccount(String name, String personalKey, String userIdentity) {

    public SimAccount {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(personalKey, "personalKey");
        Objects.requireNonNull(userIdentity, "userIdentity");
    }

    @Override
    public String toString() {
        return "SimAccount[name=" + name + ", personalKey=***, userIdentity=" + userIdentity + "]";
    }
}
