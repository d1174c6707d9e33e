package io.tedeesync.client;

import io.tedeesync.client.internal.ClientThreads;
import io.tedeesync.client.internal.TokenEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sign in with Tedee, the server side: OAuth 2.0 authorization code + PKCE (howtos/authenticate.rst,
 * "Code Flow + PKCE"). {@link #newCodeVerifier} and {@link #s256Challenge} make the pair the sign-in
 * starts with; {@link #exchangeAsync} trades the code the browser came back with for tokens, which
 * {@link OAuthRefreshTokenSupplier} then keeps fresh. Immutable and thread-safe; no token or code ever
 * appears in a message.
 */
public final class AuthorizationCodeGrant {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final TokenEndpoint endpoint;
    private final Clock clock;
    private final URI tokenUrl;
    private final String clientId;

    /**
     * What the exchange gives.
     *
     * @param accessToken  the Bearer token (4 hours at Tedee)
     * @param expiresAt    when it expires
     * @param refreshToken the refresh token (14 days at Tedee), or null when the server gave none (the
     *                     {@code offline_access} scope was not asked for)
     */
    public record Tokens(String accessToken, Instant expiresAt, String refreshToken) {
        public Tokens {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "Tokens[hidden, expires " + expiresAt + (refreshToken == null ? ", no refresh token" : "") + "]";
        }
    }

    private AuthorizationCodeGrant(URI tokenUrl, String clientId, String clientSecret, HttpClient http, Clock clock, Duration requestTimeout) {
        this.clock = clock;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.endpoint = new TokenEndpoint(http != null ? http : ClientThreads.sharedHttpClient(), tokenUrl, clientId, clientSecret, null,
                requestTimeout, clock);
    }

    /**
     * The grant at Tedee's token endpoint for this client. Few settings, all but the secret required, so no
     * builder.
     *
     * @param tokenUrl       the token endpoint, absolute
     * @param clientId       the client id Tedee registered
     * @param clientSecret   only for service-to-service integrations (never in apps users hold); null for none
     * @param http           the client for the token requests (the one all API clients share), or null for a default one
     * @param clock          where {@link Tokens#expiresAt()} counts from
     * @param requestTimeout the bound of the exchange
     */
    public static AuthorizationCodeGrant of(URI tokenUrl, String clientId, String clientSecret, HttpClient http, Clock clock,
            Duration requestTimeout) {
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        if (!tokenUrl.isAbsolute()) {
            throw new IllegalArgumentException("an absolute tokenUrl is required");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("a clientId is required");
        }
        return new AuthorizationCodeGrant(tokenUrl, clientId, clientSecret, http, Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(requestTimeout, "requestTimeout"));
    }

    /** A fresh PKCE code verifier: 32 random bytes, BASE64URL (43 characters, as Tedee asks for {@code S256}). */
    public static String newCodeVerifier(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /** The {@code S256} challenge of a verifier: BASE64URL(SHA-256(ASCII(verifier))), RFC 7636 section 4.2. */
    public static String s256Challenge(String codeVerifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
            return BASE64URL.encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Trades the authorization code for tokens, without blocking. Fails with an
     * {@link AuthenticationException} when the token endpoint refuses the code (used, expired, another
     * verifier or redirect URI), a {@link TedeeConnectionException} when it cannot be reached or times
     * out, and the usual {@link TedeeException}s for its other answers.
     *
     * @param redirectUri exactly the redirect URI the sign-in was started with
     */
    public CompletableFuture<Tokens> exchangeAsync(String code, String codeVerifier, URI redirectUri) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(redirectUri, "redirectUri");
        return endpoint.exchangeCodeAsync(code, codeVerifier, redirectUri)
                .thenApply(tokens -> new Tokens(tokens.accessToken(), clock.instant().plus(tokens.expiresIn()), tokens.refreshToken()));
    }

    public URI tokenUrl() {
        return tokenUrl;
    }

    public String clientId() {
        return clientId;
    }

    @Override
    public String toString() {
        return "AuthorizationCodeGrant[" + tokenUrl + ", client " + clientId + "]";
    }
}
