package io.tedeesync.accounts;

import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.AuthorizationCodeGrant;
import io.tedeesync.client.TedeeConnectionException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sign in with Tedee: OAuth authorization code + PKCE ({@code S256}). {@link #start} remembers a state and
 * a code verifier for the account, server-side, and gives the URL of Tedee's sign-in page;
 * {@link #finish} takes the state back (once: a state is single use and lasts 10 minutes), trades the
 * code for tokens, and connects the account through the {@link AccountRegistry}. Thread-safe; no code,
 * verifier or token appears in a message.
 */
public final class SignIn {
    /** How long a started sign-in may take. */
    public static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
    /** Started sign-ins kept at most: more push out the oldest (each is a few hundred bytes). */
    static final int MAX_PENDING = 1_000;

    private final SignInSettings settings;
    private final Supplier<URI> redirectUri;
    private final AccountRegistry registry;
    private final AuthorizationCodeGrant grant;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration requestTimeout;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    private record Pending(String account, String verifier, URI redirectUri, Instant expires) {
        @Override
        public String toString() {
            return "Pending[" + account + ", expires " + expires + "]";
        }
    }

    /** How a sign-in ended, for its page. */
    public sealed interface Outcome {
        /** The account is connected. */
        record Connected(String account, int locks, boolean added) implements Outcome {
        }

        /** It did not work: a title and what to do, for a person to read. */
        record Failed(int status, String title, String detail) implements Outcome {
        }
    }

    public SignIn(SignInSettings settings, Supplier<URI> redirectUri, AccountRegistry registry, java.net.http.HttpClient http, Clock clock,
            SecureRandom random, Duration requestTimeout) {
        this.settings = settings;
        this.redirectUri = redirectUri;
        this.registry = registry;
        this.clock = clock;
        this.random = random;
        this.requestTimeout = requestTimeout;
        this.grant = AuthorizationCodeGrant.of(settings.tokenUrl(), settings.clientId(), settings.clientSecret(), http, clock,
                requestTimeout);
    }

    /**
     * Starts a sign-in for {@code account} (a new name, or an account added at runtime to connect again).
     *
     * @return Tedee's sign-in page to send the browser to
     * @throws AccountException {@code INVALID} name, {@code DECLARED} account
     */
    public URI start(String account) {
        AccountNames.check(account);
        if (registry.isDeclared(account)) {
            throw new AccountException(AccountException.Reason.DECLARED, "account " + account
                    + " is declared at start (flags or the accounts file): change it there and restart");
        }
        if (!registry.canAdd()) {
            throw new AccountException(AccountException.Reason.STORE, "no key to seal credentials with");
        }
        String state = AuthorizationCodeGrant.newCodeVerifier(random); // 256 random bits, URL-safe
        String verifier = AuthorizationCodeGrant.newCodeVerifier(random);
        URI redirect = redirectUri.get();
        synchronized (pending) {
            Instant now = clock.instant();
            pending.values().removeIf(p -> !now.isBefore(p.expires()));
            if (pending.size() >= MAX_PENDING) {
                Iterator<String> oldest = pending.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            pending.put(state, new Pending(account, verifier, redirect, now.plus(STATE_LIFETIME)));
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", redirect.toString());
        query.put("scope", settings.scopes());
        query.put("state", state);
        query.put("code_challenge", AuthorizationCodeGrant.s256Challenge(verifier));
        query.put("code_challenge_method", "S256");
        String base = settings.authorizeUrl().toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + encode(query));
    }

    /**
     * Ends a sign-in: Tedee redirected back with {@code code} (or {@code error}) and the {@code state}.
     * Blocks for the token exchange and the credentials check (each bounded by the request timeout).
     */
    public Outcome finish(String state, String code, String error, String errorDescription) {
        Pending started;
        synchronized (pending) {
            started = state == null ? null : pending.remove(state);
        }
        if (started == null || !clock.instant().isBefore(started.expires())) {
            return new Outcome.Failed(400, "This sign-in link has expired or was already used",
                    "A sign-in must be finished within " + STATE_LIFETIME.toMinutes() + " minutes, once. Start it again from the dashboard.");
        }
        if (error != null) {
            boolean denied = "access_denied".equals(error);
            return new Outcome.Failed(denied ? 403 : 400, denied ? "Sign-in cancelled" : "Tedee did not sign you in",
                    "Account " + started.account() + " was not connected. Tedee said: " + plain(error)
                            + (errorDescription == null ? "" : " (" + plain(errorDescription) + ")") + ".");
        }
        if (code == null || code.isBlank()) {
            return new Outcome.Failed(400, "Tedee sent no sign-in code", "Account " + started.account() + " was not connected.");
        }
        AuthorizationCodeGrant.Tokens tokens;
        try {
            tokens = grant.exchangeAsync(code, started.verifier(), started.redirectUri())
                    .get(requestTimeout.plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed(503, "Interrupted", "The service is stopping; try again.");
        } catch (TimeoutException e) {
            return unreachable();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException) {
                return new Outcome.Failed(400, "Tedee refused the sign-in code", "It said: " + e.getCause().getMessage()
                        + ". The code may have been used already or expired (start the sign-in again), or the client id or"
                        + " redirect URI differ from what Tedee registered.");
            }
            if (e.getCause() instanceof TedeeConnectionException) {
                return unreachable();
            }
            return new Outcome.Failed(502, "Tedee's sign-in service failed", "It answered: " + e.getCause().getMessage() + ". Try again later.");
        }
        if (tokens.refreshToken() == null) {
            return new Outcome.Failed(502, "Tedee gave no refresh token",
                    "Without one the account would stop syncing in 4 hours: add offline_access to --oauth-scopes.");
        }
        try {
            AccountRegistry.Connected connected = registry.connect(started.account(), new AccountCredentials.OAuth(tokens.refreshToken(),
                    settings.clientId(), settings.clientSecret(), settings.tokenUrl(), tokens.accessToken(), tokens.expiresAt()),
                    userOf(tokens.accessToken()));
            return new Outcome.Connected(started.account(), connected.account().locks(), connected.added());
        } catch (AccountException e) {
            return new Outcome.Failed(e.reason().status(), "Account " + started.account() + " was not connected", e.getMessage());
        }
    }

    /**
     * The Tedee user an access token is for: its {@code oid} claim (howtos/authenticate.rst), or null when the
     * token is not a JWT that says. Read only to keep one account one user; the signature is Tedee's to check.
     */
    static String userOf(String accessToken) {
        String[] parts = accessToken.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode claims = CredentialsJson.MAPPER.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            String oid = claims == null ? null : claims.path("oid").asText(null);
            return oid == null || oid.isBlank() ? null : oid;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    private static Outcome unreachable() {
        return new Outcome.Failed(502, "Tedee's sign-in service did not answer", "Nothing was changed. Try again in a moment.");
    }

    /** Only plain characters of what the redirect carried (it is shown on a page). */
    private static String plain(String text) {
        String trimmed = text.length() > 200 ? text.substring(0, 200) : text;
        return trimmed.replaceAll("[^A-Za-z0-9 _.,:;()'/-]", "?");
    }

    private static String encode(Map<String, String> query) {
        StringBuilder out = new StringBuilder();
        query.forEach((key, value) -> out.append(out.length() == 0 ? "" : "&").append(key).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        return out.toString();
    }

    /** Sign-ins started and not yet finished or expired (for tests). */
    int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    @Override
    public String toString() {
        return "SignIn[" + settings + "]";
    }
}
