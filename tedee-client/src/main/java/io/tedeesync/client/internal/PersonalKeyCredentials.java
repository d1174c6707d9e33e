package io.tedeesync.client.internal;

import io.tedeesync.client.Credentials;

/** {@code PersonalKey <key>}. Immutable; {@link #toString()} hides the key. */
public final class PersonalKeyCredentials implements Credentials {
    private final String header;

    public PersonalKeyCredentials(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the personal access key is empty");
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the personal access key contains control characters");
        }
        this.header = "PersonalKey " + key.trim();
    }

    @Override
    public String authorizationHeader() {
        return header;
    }

    @Override
    public String scheme() {
        return "PersonalKey";
    }

    @Override
    public String toString() {
        return "PersonalKey[hidden]";
    }
}
