package io.tedeesync.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.MalformedResponseException;
import io.tedeesync.client.TedeeConnectionException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** The OAuth token endpoint's refresh-token and authorization-code grants. Immutable and thread-safe; never puts a token in a message. */
public final class TokenEndpoint {
    /** Tedee access tokens last 4 hours; used when the answer does not say. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(4);
    /** A longer lifetime is not believed (it would only postpone the 401), and cannot overflow an Instant. */
    private static final Duration MAX_LIFETIME = Duration.ofDays(14);

    private final HttpClient http;
    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Duration timeout;
    private final Clock clock;

    public TokenEndpoint(HttpClient http, URI tokenUrl, String clientId, String clientSecret, String scope, Duration timeout,
            Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** What a successful refresh gives; {@code refreshToken} is null when the server did not rotate it. */
    public record Tokens(String accessToken, Duration expiresIn, String refreshToken) {
        @Override
        public String toString() {
            return "Tokens[hidden, expires in " + expiresIn + "]";
        }
    }

    /**
     * The refresh-token grant, without blocking: completes with the tokens, or fails with the
     * {@link io.tedeesync.client.TedeeException} the answer means. Bounded by a hard deadline (the request
     * timeout plus a second) that a body stalling after its headers cannot escape, since every caller
     * waiting for this refresh waits with it. Continuations run on the thread that completes the exchange.
     */
    public CompletableFuture<Tokens> refreshAsync(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        putIfPresent(form, "client_id", clientId);
        putIfPresent(form, "client_secret", clientSecret);
        putIfPresent(form, "scope", scope);
        return grant(form, refreshToken, "the refresh token");
    }

    /**
     * The authorization-code grant with PKCE (howtos/authenticate.rst, step 2): the code the sign-in
     * redirected with, the verifier whose challenge started it, and the same redirect URI. Fails like
     * {@link #refreshAsync}: a refused code (used, expired, wrong verifier) is an
     * {@link AuthenticationException}.
     */
    public CompletableFuture<Tokens> exchangeCodeAsync(String code, String codeVerifier, URI redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        putIfPresent(form, "client_id", clientId);
        putIfPresent(form, "client_secret", clientSecret);
        form.put("code", code);
        form.put("code_verifier", codeVerifier);
        form.put("redirect_uri", redirectUri.toString());
        putIfPresent(form, "scope", scope);
        return grant(form, code, "the authorization code");
    }

    private CompletableFuture<Tokens> grant(Map<String, String> form, String secret, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUrl)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        if ("http".equalsIgnoreCase(tokenUrl.getScheme())) {
            request.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade headers on a plain connection
        }
        return BoundedExchange.send(http, request.build(), timeout.plusSeconds(1)).handle((response, failure) -> {
            if (failure != null) {
                throw connectionFailure(Futures.unwrap(failure));
            }
            return read(response, secret, what);
        });
    }

    private Tokens read(HttpResponse<byte[]> response, String secret, String what) {
        int status = response.statusCode();
        JsonNode body = readJson(response.body());
        if (status != 200) {
            String error = safeError(body, secret);
            // Only a refused grant means the credentials are dead; throttling (429), timeouts (408) and
            // server trouble are transient and go through the one status mapping like any API answer.
            if (status == 400 || status == 401) {
                throw new AuthenticationException(what + " was refused: HTTP " + status
                        + (error.isEmpty() ? "" : " (" + error + ")"), null, status, error.isEmpty() ? List.of() : List.of(error));
            }
            throw ErrorMapping.forStatus(null, status, error.isEmpty() ? List.of() : List.of(error),
                    response.headers().firstValue("Retry-After"), clock);
        }
        if (body == null || body.path("access_token").asText("").isBlank()) {
            throw new MalformedResponseException("the token endpoint answered without an access_token", null, status, null);
        }
        String rotated = body.path("refresh_token").asText("");
        return new Tokens(body.path("access_token").asText(), lifetime(body.get("expires_in")), rotated.isBlank() ? null : rotated);
    }

    private static TedeeConnectionException connectionFailure(Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return new TedeeConnectionException("the token endpoint timed out", null, true, cause);
        }
        if (cause instanceof CancellationException) {
            return new TedeeConnectionException("the token refresh was cancelled", null, false, cause);
        }
        return new TedeeConnectionException("could not reach the token endpoint ("
                + (cause == null ? "unknown error" : cause.getClass().getSimpleName()) + ")", null, false, cause);
    }

    /** {@code expires_in} is a string in Tedee's sample and a number in RFC 6749: take either. */
    private static Duration lifetime(JsonNode expiresIn) {
        if (expiresIn == null || expiresIn.isNull()) {
            return DEFAULT_LIFETIME;
        }
        try {
            long seconds = expiresIn.isNumber() ? expiresIn.asLong() : Long.parseLong(expiresIn.asText().trim());
            return seconds > 0 ? Duration.ofSeconds(Math.min(seconds, MAX_LIFETIME.toSeconds())) : DEFAULT_LIFETIME;
        } catch (NumberFormatException e) {
            return DEFAULT_LIFETIME;
        }
    }

    /**
     * The OAuth {@code error} code for messages: short, and dropped when it is not a plain code (a
     * server that echoes the request would put the refresh token or client secret in it).
     */
    private String safeError(JsonNode body, String secret) {
        String error = body == null ? "" : body.path("error").asText("");
        boolean echoesSecret = (secret != null && error.contains(secret))
                || (clientSecret != null && !clientSecret.isBlank() && error.contains(clientSecret));
        if (echoesSecret || !error.matches("[A-Za-z0-9_.-]{1,64}")) {
            return "";
        }
        return error;
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return body.length == 0 ? null : ApiTransport.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static void putIfPresent(Map<String, String> form, String key, String value) {
        if (value != null && !value.isBlank()) {
            form.put(key, value);
        }
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    public String toString() {
        return "TokenEndpoint[" + tokenUrl + "]";
    }
}
