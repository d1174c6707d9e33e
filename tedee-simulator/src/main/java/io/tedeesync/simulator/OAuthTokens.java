package io.tedeesync.simulator;

import java.util.Objects;

/**
 * An OAuth access token (valid 4 hours of simulated time) and the refresh token that renews it
 * (valid 14 days) through {@code POST /oauth2/v2.0/token}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} hides both tokens.
 *
 * @param accessToken the bearer token for {@code Authorization: Bearer ...}
 * @param refreshToken the refresh token for {@code grant_type=refresh_token}
 */
public record OAuthTokens(String accessToken, String refreshToken) {

    public OAuthTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
    }

    @Override
    public String toString() {
        return "OAuthTokens[accessToken=***, refreshToken=***]";
    }
}
