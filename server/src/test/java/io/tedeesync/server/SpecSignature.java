package io.tedeesync.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks verification as a receiver writes it from the specification, independent of the
 * service's code: the key is the base64 after {@code whsec_}; the signed content is {@code id.timestamp.body};
 * the header holds space-separated {@code v1,<base64 HMAC-SHA256>} entries, any of which may match.
 */
final class SpecSignature {
    private SpecSignature() {
    }

    /** Whether one of the header's {@code v1} signatures is {@code secret}'s over this message. */
    static boolean verifies(String secret, String id, String timestamp, String body, String header) {
        String expected = expected(secret, id, timestamp, body);
        for (String entry : header.split(" ")) {
            String[] parts = entry.split(",", 2);
            if (parts.length == 2 && parts[0].equals("v1")
                    && MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** The base64 signature {@code secret} makes over {@code id.timestamp.body}. */
    static String expected(String secret, String id, String timestamp, String body) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
