package io.tedeesync.client.internal;

import io.tedeesync.client.AccessTokenSupplier;
import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.Credentials;
import java.util.List;
import java.util.Objects;

/** {@code Bearer <token>} from a supplier. Thread-safe if the supplier is; {@link #toString()} hides the token. */
public final class BearerCredentials implements Credentials {
    private final AccessTokenSupplier tokens;

    public BearerCredentials(AccessTokenSupplier tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public String authorizationHeader() {
        String token = tokens.get();
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("no access token is available", null, 0, List.of());
        }
        return "Bearer " + token.trim();
    }

    @Override
    public boolean invalidate() {
        return tokens.invalidate();
    }

    @Override
    public String toString() {
        return "Bearer[hidden]";
    }
}
