package io.tedeesync.accounts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals credentials for the store with AES-256-GCM (the JDK's own): a fresh 96-bit nonce per seal, a
 * 128-bit tag, and the account's name and API URL as associated data, so a sealed value copied onto
 * another account's row does not open, and a row whose API URL was changed behind the service's back
 * (to send the credentials elsewhere) does not open either. A sealed value reads {@code v1.<key id>.<base64url(nonce | ciphertext)>};
 * the key id (8 hex digits of a SHA-256 of the key) says which key sealed it, so a wrong key is named as
 * such instead of failing as garbage. Thread-safe; never shows the key.
 */
public final class CredentialCipher {
    /** AES-256. */
    public static final int KEY_BYTES = 32;
    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final String keyId;
    private final SecureRandom random;

    /** Thrown when a sealed value does not open with this key: another key sealed it, or it was altered. */
    public static final class WrongKeyException extends RuntimeException {
        private final String sealedWith;

        WrongKeyException(String message, String sealedWith) {
            super(message);
            this.sealedWith = sealedWith;
        }

        /** The id of the key the value was sealed with (as it says), or null when unreadable. */
        public String sealedWith() {
            return sealedWith;
        }
    }

    public CredentialCipher(byte[] key, SecureRandom random) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the secret key must be " + KEY_BYTES + " bytes, was " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.keyId = keyId(key);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** 8 hex digits naming the key; safe to show (a hash of 256 random bits reveals nothing of them). */
    public String keyId() {
        return keyId;
    }

    /** Encrypts {@code plaintext} for {@code account} at {@code apiUrl}. */
    public String seal(String account, java.net.URI apiUrl, String plaintext) {
        return seal(associatedData(account, apiUrl), plaintext);
    }

    /**
     * Encrypts a secret that is not an account's credentials (a webhook endpoint's signing secret), bound to
     * {@code context} (e.g. {@code webhook endpoint ep_123}): it opens only with the same context.
     */
    public String sealFor(String context, String plaintext) {
        return seal(contextData(context), plaintext);
    }

    /**
     * Decrypts what {@link #seal} gave for the same account.
     *
     * @throws WrongKeyException when another key sealed it ({@link WrongKeyException#sealedWith()} differs from
     *                           {@link #keyId()}), or it was altered or belongs to another account or API URL
     */
    public String open(String account, java.net.URI apiUrl, String sealed) {
        return open("the stored credentials of account " + account, " (altered, copied from another account, or its API URL was changed)",
                associatedData(account, apiUrl), sealed);
    }

    /**
     * Decrypts what {@link #sealFor} gave for the same context.
     *
     * @throws WrongKeyException when another key sealed it, or it was altered or sealed for another context
     */
    public String openFor(String context, String sealed) {
        return open("the stored secrets of " + context, " (altered, or copied from elsewhere)", contextData(context), sealed);
    }

    private String seal(byte[] associatedData, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return VERSION + "." + keyId + "." + ENCODER.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK: " + e.getMessage(), e);
        }
    }

    private String open(String what, String tampered, byte[] associatedData, String sealed) {
        String[] parts = sealed == null ? new String[0] : sealed.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new WrongKeyException(what + " are not in a format this version knows", null);
        }
        if (!parts[1].equals(keyId)) {
            throw new WrongKeyException(what + " were encrypted with key " + parts[1] + ", not with this one (" + keyId + ")", parts[1]);
        }
        try {
            byte[] raw = DECODER.decode(parts[2]);
            if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            byte[] plain = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new WrongKeyException(what + " do not open with key " + keyId + tampered, parts[1]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CredentialCipher[key " + keyId + "]";
    }

    private static byte[] associatedData(String account, java.net.URI apiUrl) {
        return ("tedee-sync account " + account + " at " + apiUrl).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] contextData(String context) {
        return ("tedee-sync " + context).getBytes(StandardCharsets.UTF_8);
    }

    private static String keyId(byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("tedee-sync key id ".getBytes(StandardCharsets.UTF_8));
            byte[] hash = digest.digest(key);
            return HexFormat.of().formatHex(Arrays.copyOf(hash, 4));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
