package io.tedeesync.benchmarks.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks check a receiver makes, written here from the specification (not from the service's
 * code): the key is the base64 after {@code whsec_}; the signed content is {@code id + "." + timestamp + "." +
 * body}; {@code webhook-signature} holds space-separated {@code v1,<base64 HMAC-SHA256>} entries, one of which
 * must match. Immutable; {@link #verify} is thread-safe.
 */
final class WebhookSignature {
    private final byte[] key;

    WebhookSignature(String secret) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("a Standard Webhooks secret starts with whsec_, this one does not");
        }
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    boolean verify(String id, String timestamp, byte[] body, String signatureHeader) {
        if (id == null || timestamp == null || signatureHeader == null) {
            return false;
        }
        byte[] expected = sign(id, timestamp, body);
        for (String entry : signatureHeader.trim().split(" ")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue;
            }
            try {
                if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(comma + 1)))) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // not base64: not a match
            }
        }
        return false;
    }

    private byte[] sign(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
