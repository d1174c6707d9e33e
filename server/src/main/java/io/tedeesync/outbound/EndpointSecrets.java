package io.tedeesync.outbound;

import io.tedeesync.accounts.CredentialCipher;
import io.tedeesync.store.WebhookEndpointRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Seals endpoints' signing secrets for the store with the accounts' {@link CredentialCipher}, bound to the
 * endpoint's id (a sealed secret copied onto another endpoint does not open), and opens the ones that sign
 * now. Opened secrets are kept by their sealed value (an AES-GCM open per attempt was a fifth of the dispatcher's
 * time): a rotation seals anew, so a changed secret is never served from the cache. Thread-safe; never shows a secret.
 */
final class EndpointSecrets {
    /** More endpoints than this and the cache starts over (it is only a cache). */
    private static final int CACHED = 1_000;

    private final CredentialCipher cipher;
    private final java.util.Map<String, String> opened = new java.util.concurrent.ConcurrentHashMap<>();

    EndpointSecrets(CredentialCipher cipher) {
        this.cipher = cipher;
    }

    String seal(String endpointId, String secret) {
        return cipher.sealFor(context(endpointId), secret);
    }

    /**
     * The secrets that sign a message sent at {@code now}: the current one, then the one before the last rotation
     * while its overlap lasts.
     *
     * @throws CredentialCipher.WrongKeyException when the key is not the one they were sealed with
     */
    List<String> signing(WebhookEndpointRow endpoint, Instant now) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(open(endpoint.id(), endpoint.sealedSecret()));
        if (endpoint.sealedPreviousSecret() != null && endpoint.previousSecretUntil() != null && now.isBefore(endpoint.previousSecretUntil())) {
            secrets.add(open(endpoint.id(), endpoint.sealedPreviousSecret()));
        }
        return secrets;
    }

    private String open(String endpointId, String sealed) {
        String key = endpointId + " " + sealed;
        String secret = opened.get(key);
        if (secret == null) {
            secret = cipher.openFor(context(endpointId), sealed);
            if (opened.size() >= CACHED) {
                opened.clear();
            }
            opened.put(key, secret);
        }
        return secret;
    }

    private static String context(String endpointId) {
        return "webhook endpoint " + endpointId;
    }

    @Override
    public String toString() {
        return "EndpointSecrets[" + cipher + "]";
    }
}
