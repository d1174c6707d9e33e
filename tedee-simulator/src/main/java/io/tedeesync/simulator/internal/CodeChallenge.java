package io.tedeesync.simulator.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A PKCE code challenge (RFC 7636) as the authorization request sent it, and the check of the
 * {@code code_verifier} that the token request later brings. Immutable.
 *
 * @param challenge the {@code code_challenge}, as sent
 * @param method    how the verifier was turned into the challenge
 */
record CodeChallenge(String challenge, Method method) {

    /** {@code code_challenge_method}: the two RFC 7636 defines. */
    enum Method {
        /** The challenge is the verifier itself. */
        PLAIN,
        /** The challenge is BASE64URL-no-padding(SHA-256(ASCII(verifier))). */
        S256;

        /**
         * The method a {@code code_challenge_method} names, case-insensitively (the Tedee docs write
         * {@code s256}, RFC 7636 {@code S256}); none given means {@code plain}, as RFC 7636 §4.3 says.
         * Empty when the name is unknown.
         */
        static Optional<Method> fromParameter(Optional<String> name) {
            if (name.isEmpty()) {
                return Optional.of(PLAIN);
            }
            return switch (name.get().toLowerCase(Locale.ROOT)) {
                case "plain" -> Optional.of(PLAIN);
                case "s256" -> Optional.of(S256);
                default -> Optional.empty();
            };
        }

        /** The name RFC 7636 gives it, for the sign-in form to send back. */
        String parameter() {
            return this == S256 ? "S256" : "plain";
        }
    }

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    CodeChallenge {
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(method, "method");
    }

    /** Whether the verifier is the one this challenge was made from (RFC 7636 §4.6). */
    boolean matches(String verifier) {
        String expected = method == Method.S256 ? s256(verifier) : verifier;
        // Compared in constant time, as a real server must; it costs nothing here.
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                challenge.getBytes(StandardCharsets.UTF_8));
    }

    private static String s256(String verifier) {
        try {
            // UTF-8 is ASCII for every valid verifier; for an invalid one it cannot make '?' of a
            // character (as US_ASCII would) and so match a challenge the client never made.
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.UTF_8));
            return BASE64URL.encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
