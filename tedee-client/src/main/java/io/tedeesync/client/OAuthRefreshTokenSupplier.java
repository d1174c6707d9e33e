package io.tedeesync.client;

import io.tedeesync.client.internal.TokenEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens from the OAuth refresh-token grant ({@code grant_type=refresh_token}): refreshes
 * before the token expires (Tedee's last 4 hours) and again after a 401, keeping the newest refresh
 * token the server hands out (refresh tokens live 14 days and may rotate).
 *
 * <p>Thread-safe. The access token and its expiry live in one immutable holder, swapped atomically, so
 * no caller ever sees one token with another's expiry. Concurrent callers share one refresh: the first
 * starts it and all wait for its result (on a future, not on a lock held across the token request), so
 * a burst of requests never becomes a burst of token calls. The refresh itself holds no thread while the
 * token request is under way: {@link TedeeClient}'s async calls wait for it without blocking, and it
 * finishes (the {@link Builder#onRefreshTokenRotated rotation listener} included) on the thread that
 * completes the token request, an HTTP client thread. After a 401 only the refused token is dropped
 * ({@link #invalidate(String)}): a token another caller already refreshed is kept.
 * All time comes from the injected clock. No token appears in {@code toString}, messages or logs.
 */
public final class OAuthRefreshTokenSupplier implements AccessTokenSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthRefreshTokenSupplier.class);

    /** An access token and when it expires; immutable, swapped as a whole. */
    private record Grant(String accessToken, Instant expiresAt) {
        static final Grant NONE = new Grant(null, Instant.MIN);

        boolean isFor(String token) {
            return accessToken != null && token != null && accessToken.trim().equals(token.trim());
        }

        @Override
        public String toString() {
            return "Grant[" + (accessToken == null ? "none" : "hidden") + ", expires " + expiresAt + "]";
        }
    }

    private final TokenEndpoint endpoint;
    private final Clock clock;
    private final Duration refreshMargin;
    private final Consumer<String> onRefreshTokenRotated;
    private final AtomicReference<Grant> grant;
    private final Object refreshMonitor = new Object();
    /** The refresh in flight, if any; guarded by {@link #refreshMonitor}. */
    private CompletableFuture<Grant> inFlight;
    /** Written only by the one refresh in flight. */
    private volatile String refreshToken;

    private OAuthRefreshTokenSupplier(Builder builder) {
        this.clock = builder.clock;
        this.endpoint = new TokenEndpoint(
                builder.httpClient != null ? builder.httpClient : io.tedeesync.client.internal.ClientThreads.sharedHttpClient(),
                builder.tokenUrl, builder.clientId, builder.clientSecret, builder.scope, builder.requestTimeout, clock);
        this.refreshMargin = builder.refreshMargin;
        this.onRefreshTokenRotated = builder.onRefreshTokenRotated;
        this.refreshToken = builder.refreshToken;
        this.grant = new AtomicReference<>(builder.accessToken == null
                ? Grant.NONE : new Grant(builder.accessToken, builder.accessTokenExpiresAt));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A valid access token, refreshed first when it expires within the refresh margin (blocking until then). */
    @Override
    public String get() {
        return await(getAsync());
    }

    /**
     * {@link #get()} without blocking: at once when the token is usable, else the shared refresh in flight,
     * which finishes on the thread that completes the token request. Fails with the exception {@link #get()}
     * would throw. Package-private: the client reaches it through {@link Credentials#bearer}; the public
     * surface stays {@link AccessTokenSupplier}.
     */
    CompletableFuture<String> getAsync() {
        Grant current = grant.get();
        if (usable(current)) {
            return CompletableFuture.completedFuture(current.accessToken());
        }
        return sharedRefresh().thenApply(Grant::accessToken);
    }

    /**
     * After a 401 with an unknown token: the current token is dropped and the next {@link #get()}
     * refreshes. Prefer {@link #invalidate(String)}, which the client uses.
     */
    @Override
    public boolean invalidate() {
        grant.set(Grant.NONE);
        return true;
    }

    /**
     * After a 401 to a request that carried {@code refusedToken}: drops it if it is still the current
     * token. If another caller has refreshed meanwhile, the fresh token stays, and asking again gives it.
     */
    @Override
    public boolean invalidate(String refusedToken) {
        Grant current = grant.get();
        if (current.isFor(refusedToken) && grant.compareAndSet(current, Grant.NONE)) {
            LOG.debug("the API refused the current access token; the next call refreshes it");
        }
        return true;
    }

    /** When the current access token expires ({@link Instant#MIN} when there is none yet). */
    public Instant expiresAt() {
        return grant.get().expiresAt();
    }

    /** The newest refresh token, to persist so a restart can continue; treat it as a secret. */
    public String currentRefreshToken() {
        return refreshToken;
    }

    @Override
    public String toString() {
        return "OAuthRefreshTokenSupplier[" + endpoint + ", token expires " + expiresAt() + "]";
    }

    private boolean usable(Grant candidate) {
        return candidate.accessToken() != null && clock.instant().plus(refreshMargin).isBefore(candidate.expiresAt());
    }

    /**
     * Joins the refresh in flight or starts one; only the starter talks to the token endpoint. The monitor
     * is held only to read or swap {@link #inFlight}, never across the token request.
     */
    private CompletableFuture<Grant> sharedRefresh() {
        CompletableFuture<Grant> pending;
        synchronized (refreshMonitor) {
            Grant current = grant.get();
            if (usable(current)) {
                return CompletableFuture.completedFuture(current);
            }
            if (inFlight != null) {
                return inFlight;
            }
            pending = new CompletableFuture<>();
            inFlight = pending;
        }
        Instant requestedAt = clock.instant();
        CompletableFuture<TokenEndpoint.Tokens> tokens;
        try {
            tokens = endpoint.refreshAsync(refreshToken);
        } catch (RuntimeException e) {
            tokens = CompletableFuture.failedFuture(e);
        }
        tokens.whenComplete((answer, failure) -> {
            Grant fresh = null;
            Throwable error = failure == null ? null : unwrap(failure);
            if (error == null) {
                try {
                    fresh = accept(answer, requestedAt);
                } catch (Throwable e) { // an Error too: the waiters must hear of it
                    error = e;
                }
            }
            // Cleared before the waiters are told, so one that asks again after a failure starts a new refresh.
            synchronized (refreshMonitor) {
                inFlight = null;
            }
            if (error == null) {
                pending.complete(fresh);
            } else {
                pending.completeExceptionally(error); // the waiters must never wait forever
            }
        });
        return pending;
    }

    private Grant accept(TokenEndpoint.Tokens tokens, Instant requestedAt) {
        Grant fresh = new Grant(tokens.accessToken(), requestedAt.plus(tokens.expiresIn()));
        grant.set(fresh);
        LOG.info("OAuth access token refreshed; valid until {}", fresh.expiresAt());
        if (tokens.refreshToken() != null && !tokens.refreshToken().equals(refreshToken)) {
            refreshToken = tokens.refreshToken();
            try {
                onRefreshTokenRotated.accept(refreshToken);
            } catch (RuntimeException e) {
                LOG.warn("the refresh-token listener failed ({}); the new refresh token is still in use", e.getClass().getSimpleName());
            }
        }
        return fresh;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String await(CompletableFuture<String> pending) {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TedeeConnectionException("interrupted while waiting for the token refresh", null, false, e);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e.getCause());
            if (cause instanceof RuntimeException failure) {
                throw failure;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new TedeeConnectionException("the token refresh failed", null, false, cause);
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

        /**
         * The client for the token requests; by default one of its own. May be the one shared by all
         * {@link TedeeClient}s ({@link TedeeClient#newHttpClient}): a refresh for a client's call holds none
         * of its threads. Only a blocking {@link #get()} waits, so never call that on the shared executor.
         */
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
