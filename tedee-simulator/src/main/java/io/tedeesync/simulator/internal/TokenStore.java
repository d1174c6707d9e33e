package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tedeesync.simulator.OAuthTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * OAuth tokens (howtos/authenticate.rst): access tokens valid 4 hours, refresh tokens 14 days, both
 * in simulated time. Access tokens look like the real JWTs (header.payload.signature, with
 * {@code exp}, {@code nbf} and {@code oid} claims) so a client that reads {@code exp} can; they are
 * not signed. A refresh token stays valid after use until it expires, as Azure AD B2C's do.
 *
 * <p>Thread-safe.
 */
final class TokenStore {

    static final Duration ACCESS_LIFETIME = Duration.ofHours(4);
    static final Duration REFRESH_LIFETIME = Duration.ofDays(14);

    /** A fresh pair and when it was issued. */
    record Issued(String account, OAuthTokens tokens, Instant at) {}

    private record Grant(String account, Instant expires) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Random random;
    private final Map<String, Grant> accessTokens = new HashMap<>();
    private final Map<String, Grant> refreshTokens = new HashMap<>();

    TokenStore(long seed) {
        this.random = new Random(seed ^ 0x0A17L);
    }

    synchronized Issued issue(String account, String userIdentity, Instant now) {
        String access = jwt(account, userIdentity, now);
        String refresh = randomToken(48);
        accessTokens.put(access, new Grant(account, now.plus(ACCESS_LIFETIME)));
        refreshTokens.put(refresh, new Grant(account, now.plus(REFRESH_LIFETIME)));
        return new Issued(account, new OAuthTokens(access, refresh), now);
    }

    /** Whether a refresh token is spent by its use (a server that rotates strictly); off by default, as Azure AD B2C. */
    private boolean singleUseRefreshTokens;

    synchronized void singleUseRefreshTokens(boolean spentOnUse) {
        this.singleUseRefreshTokens = spentOnUse;
    }

    /** The account a refresh token belongs to, while it is valid. */
    synchronized Optional<String> refreshTokenAccount(String refreshToken, Instant now) {
        return valid(refreshTokens, refreshToken, now);
    }

    /** Uses a refresh token for a refresh: its account while valid; spends it when refresh tokens are single use. */
    synchronized Optional<String> useRefreshToken(String refreshToken, Instant now) {
        Optional<String> account = valid(refreshTokens, refreshToken, now);
        if (account.isPresent() && singleUseRefreshTokens) {
            refreshTokens.remove(refreshToken);
        }
        return account;
    }

    synchronized Optional<String> accessTokenAccount(String accessToken, Instant now) {
        return valid(accessTokens, accessToken, now);
    }

    synchronized void expireAccessTokens(String account) {
        accessTokens.values().removeIf(grant -> grant.account().equals(account));
    }

    private static Optional<String> valid(Map<String, Grant> grants, String token, Instant now) {
        Grant grant = token == null ? null : grants.get(token);
        if (grant == null) {
            return Optional.empty();
        }
        if (!now.isBefore(grant.expires())) {
            grants.remove(token);
            return Optional.empty();
        }
        return Optional.of(grant.account());
    }

    private String jwt(String account, String userIdentity, Instant now) {
        ObjectNode header = JSON.createObjectNode().put("alg", "none").put("typ", "JWT");
        ObjectNode claims = JSON.createObjectNode()
                .put("exp", now.plus(ACCESS_LIFETIME).getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("oid", userIdentity)
                .put("name", account)
                .put("jti", randomToken(12));
        return encode(header.toString()) + "." + encode(claims.toString()) + "." + randomToken(32);
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return BASE64URL.encodeToString(raw);
    }
}
