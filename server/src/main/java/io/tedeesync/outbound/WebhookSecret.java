package io.tedeesync.outbound;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signing secrets as the Standard Webhooks specification writes them: {@code whsec_} followed by the
 * base64 of 32 random bytes; the key is the decoded bytes. Stateless.
 */
final class WebhookSecret {
    static final String PREFIX = "whsec_";
    static final int KEY_BYTES = 32;

    private WebhookSecret() {
    }

    /** A new secret from {@code random}. */
    static String generate(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The HMAC key of {@code secret}: the bytes after {@code whsec_}, base64-decoded.
     *
     * @throws IllegalArgumentException without showing the secret, when it is not in that form
     */
    static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            if (key.length == 0) {
                throw new IllegalArgumentException("empty");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is " + PREFIX + " and base64 after it");
        }
    }
}
