package io.tedeesync.client.internal;

import io.tedeesync.client.AccessTokenSupplier;
import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.Credentials;
import java.util.List;
import java.util.Objects;

/** {@code Bearer <token>} from a supplier. Thread-safe if the supplier is; {@link #toString()} hides the token. */
public final class BearerCredentials implements Credentials {
    private static final String PREFIX = "Bearer ";
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
        return PREFIX + token.trim();
    }

    @Override
    public boolean invalidate() {
        return tokens.invalidate();
    }

    @Override
    public boolean invalidate(String refusedHeader) {
        if (refusedHeader == null || !refusedHeader.startsWith(PREFIX)) {
            return tokens.invalidate();
        }
        return tokens.invalidate(refusedHeader.substring(PREFIX.length()));
    }

    @Override
    public String toString() {
        return "Bearer[hidden]";
    }
}
