package io.tedeesync.outbound;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of the Standard Webhooks specification: {@code v1,} and the
 * base64 of HMAC-SHA256 over {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the secret's
 * decoded bytes; several signatures (during a secret rotation) separated by spaces. Stateless.
 */
final class WebhookSignature {
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {
    }

    /** One signature, {@code v1,<base64>}. */
    static String sign(String secret, String messageId, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(WebhookSecret.key(secret), ALGORITHM));
            byte[] digest = mac.doFinal((messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JDK: " + e.getMessage(), e);
        }
    }

    /** The header's value: one signature per secret, in the order given (the current secret first). */
    static String header(List<String> secrets, String messageId, long timestamp, String body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a signature needs a secret");
        }
        return secrets.stream().map(secret -> sign(secret, messageId, timestamp, body)).collect(Collectors.joining(" "));
    }
}
