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
    private final boolean fixed;

    public BearerCredentials(AccessTokenSupplier tokens) {
        this(tokens, false);
    }

    private BearerCredentials(AccessTokenSupplier tokens, boolean fixed) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.fixed = fixed;
    }

    /** One token that never changes: its header is at hand without blocking. */
    public static BearerCredentials fixed(String accessToken) {
        return new BearerCredentials(() -> accessToken, true);
    }

    @Override
    public String authorizationHeader() {
        return header(tokens.get());
    }

    /** The header for {@code token}; an empty token means no credentials at all. */
    public static String header(String token) {
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("no access token is available", null, 0, List.of());
        }
        return PREFIX + token.trim();
    }

    /** Where the tokens come from, so the client can ask a supplier it knows without blocking. */
    public AccessTokenSupplier tokens() {
        return tokens;
    }

    /** Whether the token is fixed ({@link #fixed(String)}), so getting the header never blocks. */
    public boolean isFixed() {
        return fixed;
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
