package io.tedeesync.simulator.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The authorization codes the sign-in page hands out and the token endpoint redeems: each bound to
 * the account that signed in and to the request it answered (client, redirect URI, PKCE challenge),
 * valid {@link #LIFETIME} of simulated time, good for one successful redemption.
 *
 * <p>A refused redemption leaves the code as it was: the client that made a mistake (or whose
 * request met an injected fault) may try again with the right values while the code lasts. A
 * redeemed code stays known until it would have expired, so that a replay is told it was used.
 *
 * <p>Thread-safe.
 */
final class AuthorizationCodes {

    /** How long a code may wait for its redemption: about what Azure AD B2C gives its codes. */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    /** What a token request that brought a code gets. */
    sealed interface Redemption permits Redeemed, Refused {}

    /** The code was good: issue tokens for this account. */
    record Redeemed(String account) implements Redemption {}

    /** The code was not good for this request; {@code description} says why, for {@code invalid_grant}. */
    record Refused(String description) implements Redemption {}

    private static final class Issued {
        final String account;
        final AuthorizationRequest request;
        final Instant expires;
        boolean redeemed;

        Issued(String account, AuthorizationRequest request, Instant expires) {
            this.account = account;
            this.request = request;
            this.expires = expires;
        }
    }

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Random random;
    private final Map<String, Issued> codes = new HashMap<>();

    AuthorizationCodes(long seed) {
        this.random = new Random(seed ^ 0xC0DEL);
    }

    /** A new code for the account's answer to that request, issued now. */
    synchronized String issue(String account, AuthorizationRequest request, Instant now) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(request, "request");
        codes.values().removeIf(issued -> !now.isBefore(issued.expires)); // keeps the map to the codes alive
        String code;
        do {
            code = randomCode();
        } while (codes.containsKey(code));
        codes.put(code, new Issued(account, request, now.plus(LIFETIME)));
        return code;
    }

    /**
     * Redeems the code for a token request of that client, redirect URI and verifier; the code is used
     * up only when it is redeemed.
     */
    synchronized Redemption redeem(String code, String clientId, String redirectUri, String verifier, Instant now) {
        Issued issued = codes.get(code);
        if (issued == null) {
            return new Refused("The authorization code is unknown.");
        }
        if (issued.redeemed) {
            return new Refused("The authorization code has already been redeemed.");
        }
        if (!now.isBefore(issued.expires)) {
            return new Refused("The authorization code has expired.");
        }
        if (!issued.request.clientId().equals(clientId)) {
            return new Refused("The authorization code was issued to another client_id.");
        }
        if (!issued.request.redirectUri().equals(redirectUri)) {
            return new Refused("The redirect_uri is not the one the authorization code was issued for.");
        }
        if (!issued.request.challenge().matches(verifier)) {
            return new Refused("The code_verifier does not match the code_challenge.");
        }
        issued.redeemed = true;
        return new Redeemed(issued.account);
    }

    private String randomCode() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return BASE64URL.encodeToString(raw);
    }
}
