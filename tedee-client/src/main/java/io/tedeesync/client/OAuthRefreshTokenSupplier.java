package io.tedeesync.client;

import io.tedeesync.client.internal.TokenEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens from the OAuth refresh-token grant ({@code grant_type=refresh_token}): refreshes
 * before the token expires (Tedee's last 4 hours) and again after a 401, keeping the newest refresh
 * token the server hands out (refresh tokens live 14 days and may rotate).
 *
 * <p>Thread-safe. Concurrent callers share one refresh: the first refreshes while the others wait for
 * its result, so a burst of requests never becomes a burst of token calls.
 */
public final class OAuthRefreshTokenSupplier implements AccessTokenSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthRefreshTokenSupplier.class);

    private final TokenEndpoint endpoint;
    private final Clock clock;
    private final Duration refreshMargin;
    private final Consumer<String> onRefreshTokenRotated;
    private final ReentrantLock refreshing = new ReentrantLock();

    private volatile String refreshToken;
    private volatile String accessToken;
    private volatile Instant expiresAt = Instant.MIN;

    private OAuthRefreshTokenSupplier(Builder builder) {
        this.endpoint = new TokenEndpoint(
                builder.httpClient != null ? builder.httpClient : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                builder.tokenUrl, builder.clientId, builder.clientSecret, builder.scope, builder.requestTimeout);
        this.clock = builder.clock;
        this.refreshMargin = builder.refreshMargin;
        this.onRefreshTokenRotated = builder.onRefreshTokenRotated;
        this.refreshToken = builder.refreshToken;
        if (builder.accessToken != null) {
            this.accessToken = builder.accessToken;
            this.expiresAt = builder.accessTokenExpiresAt;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A valid access token, refreshed first when it expires within the refresh margin. */
    @Override
    public String get() {
        String current = accessToken;
        if (current != null && !expiresSoon()) {
            return current;
        }
        refreshing.lock();
        try {
            if (accessToken == null || expiresSoon()) {
                refresh();
            }
            return accessToken;
        } finally {
            refreshing.unlock();
        }
    }

    /** After a 401: the current token is dropped and the next {@link #get()} refreshes. */
    @Override
    public boolean invalidate() {
        refreshing.lock();
        try {
            accessToken = null;
            expiresAt = Instant.MIN;
            return true;
        } finally {
            refreshing.unlock();
        }
    }

    /** When the current access token expires ({@link Instant#MIN} when there is none yet). */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** The newest refresh token, to persist so a restart can continue; treat it as a secret. */
    public String currentRefreshToken() {
        return refreshToken;
    }

    @Override
    public String toString() {
        return "OAuthRefreshTokenSupplier[" + endpoint + ", token expires " + expiresAt + "]";
    }

    private boolean expiresSoon() {
        return !clock.instant().isBefore(expiresAt.minus(refreshMargin));
    }

    private void refresh() {
        Instant requestedAt = clock.instant();
        TokenEndpoint.Tokens tokens = endpoint.refresh(refreshToken);
        accessToken = tokens.accessToken();
        expiresAt = requestedAt.plus(tokens.expiresIn());
        LOG.info("OAuth access token refreshed; valid until {}", expiresAt);
        if (tokens.refreshToken() != null && !tokens.refreshToken().equals(refreshToken)) {
            refreshToken = tokens.refreshToken();
            try {
                onRefreshTokenRotated.accept(refreshToken);
            } catch (RuntimeException e) {
                LOG.warn("the refresh-token listener failed ({}); the new refresh token is still in use", e.getClass().getSimpleName());
            }
        }
    }

    /** Settings of an {@link OAuthRefreshTokenSupplier}; validated by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private URI tokenUrl;
        private String clientId;
        private String clientSecret;
        private String scope;
        private String refreshToken;
        private String accessToken;
        private Instant accessTokenExpiresAt;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private Duration refreshMargin = Duration.ofMinutes(5);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private Consumer<String> onRefreshTokenRotated = token -> { };

        private Builder() {
        }

        /** The token endpoint, e.g. {@code https://<tenant>/B2C_1A_Signup_Signin_With_Kmsi/oauth2/v2.0/token}. */
        public Builder tokenUrl(URI tokenUrl) {
            this.tokenUrl = Objects.requireNonNull(tokenUrl, "tokenUrl");
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Only for service-to-service integrations; never in an app given to users. */
        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public Builder refreshToken(String refreshToken) {
            this.refreshToken = refreshToken;
            return this;
        }

        /** A current access token and its expiry, so the first call does not need a refresh. */
        public Builder accessToken(String accessToken, Instant expiresAt) {
            this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
            this.accessTokenExpiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
            return this;
        }

        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Refresh this long before expiry (default 5 min), so no request goes out with a dying token. */
        public Builder refreshMargin(Duration margin) {
            Objects.requireNonNull(margin, "margin");
            if (margin.isNegative()) {
                throw new IllegalArgumentException("refreshMargin must not be negative");
            }
            this.refreshMargin = margin;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Told the new refresh token whenever the server rotates it (to persist it). Must not throw. */
        public Builder onRefreshTokenRotated(Consumer<String> listener) {
            this.onRefreshTokenRotated = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public OAuthRefreshTokenSupplier build() {
            if (tokenUrl == null || !tokenUrl.isAbsolute()) {
                throw new IllegalStateException("an absolute tokenUrl is required");
            }
            if (refreshToken == null || refreshToken.isBlank()) {
                throw new IllegalStateException("a refresh token is required");
            }
            return new OAuthRefreshTokenSupplier(this);
        }
    }
}
