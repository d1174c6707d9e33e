package io.tedeesync.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tedeesync.client.Credentials;
import io.tedeesync.client.OAuthRefreshTokenSupplier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The secret part of an account added at runtime, as it is sealed into the store: a personal access key,
 * or OAuth (a refresh token with the token endpoint and client it belongs to). {@code toString()} never
 * shows a secret; {@link #toJson()} does, and is only ever given to {@link CredentialCipher#seal}.
 */
public sealed interface AccountCredentials {

    /** {@code personalKey} or {@code oauth}: what the accounts API shows instead of the secret. */
    String kind();

    /** The plaintext to seal. */
    String toJson();

    /**
     * The client's credentials. For OAuth, {@code onRotated} is told each refresh token the token endpoint
     * rotates to (to seal and store it), and an access token already at hand is used until it expires.
     */
    Credentials toCredentials(HttpClient http, Clock clock, Duration requestTimeout, Consumer<OAuth> onRotated);

    /** A personal access key from the Tedee portal. */
    record PersonalKey(String key) implements AccountCredentials {
        public PersonalKey {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("personalKey is empty");
            }
            if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("personalKey contains control characters");
            }
            key = key.trim();
        }

        @Override
        public String kind() {
            return "personalKey";
        }

        @Override
        public String toJson() {
            return CredentialsJson.MAPPER.createObjectNode().put("personalKey", key).toString();
        }

        @Override
        public Credentials toCredentials(HttpClient http, Clock clock, Duration requestTimeout, Consumer<OAuth> onRotated) {
            return Credentials.personalKey(key);
        }

        @Override
        public String toString() {
            return "PersonalKey[hidden]";
        }
    }

    /**
     * OAuth: the refresh token (14 days at Tedee; rotated ones replace it), the client and token endpoint
     * it was issued for, and, just after a sign-in, the access token that came with it (not stored).
     */
    record OAuth(String refreshToken, String clientId, String clientSecret, URI tokenUrl, String accessToken, Instant accessTokenExpiresAt)
            implements AccountCredentials {
        public OAuth {
            if (refreshToken == null || refreshToken.isBlank()) {
                throw new IllegalArgumentException("refreshToken is empty");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("clientId is empty");
            }
            Objects.requireNonNull(tokenUrl, "tokenUrl");
            if (!tokenUrl.isAbsolute() || tokenUrl.getHost() == null
                    || !("https".equalsIgnoreCase(tokenUrl.getScheme()) || "http".equalsIgnoreCase(tokenUrl.getScheme()))) {
                throw new IllegalArgumentException("tokenUrl must be an absolute http(s) URL");
            }
            if (clientSecret != null && clientSecret.isBlank()) {
                clientSecret = null;
            }
            if ((accessToken == null) != (accessTokenExpiresAt == null)) {
                throw new IllegalArgumentException("an access token needs its expiry");
            }
        }

        /** Without an access token at hand: the first call refreshes. */
        public OAuth(String refreshToken, String clientId, String clientSecret, URI tokenUrl) {
            this(refreshToken, clientId, clientSecret, tokenUrl, null, null);
        }

        /** The same grant with the refresh token the server rotated to. */
        public OAuth withRefreshToken(String rotated) {
            return new OAuth(rotated, clientId, clientSecret, tokenUrl, null, null);
        }

        @Override
        public String kind() {
            return "oauth";
        }

        @Override
        public String toJson() {
            ObjectNode node = CredentialsJson.MAPPER.createObjectNode().put("refreshToken", refreshToken).put("clientId", clientId)
                    .put("tokenUrl", tokenUrl.toString());
            if (clientSecret != null) {
                node.put("clientSecret", clientSecret);
            }
            return node.toString();
        }

        @Override
        public Credentials toCredentials(HttpClient http, Clock clock, Duration requestTimeout, Consumer<OAuth> onRotated) {
            OAuthRefreshTokenSupplier.Builder tokens = OAuthRefreshTokenSupplier.builder()
                    .tokenUrl(tokenUrl)
                    .clientId(clientId)
                    .clientSecret(clientSecret)
                    .refreshToken(refreshToken)
                    .httpClient(http)
                    .clock(clock)
                    .requestTimeout(requestTimeout)
                    .onRefreshTokenRotated(rotated -> onRotated.accept(withRefreshToken(rotated)));
            if (accessToken != null) {
                tokens.accessToken(accessToken, accessTokenExpiresAt);
            }
            return Credentials.bearer(tokens.build());
        }

        @Override
        public String toString() {
            return "OAuth[client " + clientId + ", token endpoint " + tokenUrl.getHost() + ", tokens hidden]";
        }
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException when it is not a credentials document (never quoting it)
     */
    static AccountCredentials fromJson(String json) {
        if (json == null) {
            throw new IllegalArgumentException("the stored credentials are empty");
        }
        JsonNode node;
        try {
            node = CredentialsJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the stored credentials are not JSON");
        }
        if (node != null && node.hasNonNull("personalKey")) {
            return new PersonalKey(node.get("personalKey").asText());
        }
        if (node != null && node.hasNonNull("refreshToken")) {
            return new OAuth(node.get("refreshToken").asText(), node.path("clientId").asText(null),
                    node.path("clientSecret").asText(null), URI.create(node.path("tokenUrl").asText("")));
        }
        throw new IllegalArgumentException("the stored credentials hold neither a personal key nor a refresh token");
    }

}

/** The mapper of sealed credentials' JSON: kept off the interface, whose members would all be public. */
final class CredentialsJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CredentialsJson() {
    }
}
