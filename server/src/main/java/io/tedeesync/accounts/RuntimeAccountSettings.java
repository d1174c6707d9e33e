package io.tedeesync.accounts;

/**
 * Accounts managed at runtime: the accounts API, sign-in, and the key their credentials are sealed with.
 *
 * @param adminToken bearer token of {@code /api/accounts} and {@code /oauth/start}; null turns them off (secret)
 * @param secretKey  the sealing key from {@value SecretKeyFile#VARIABLE}, or null for the key file in the data
 *                   directory (secret)
 * @param signIn     sign in with Tedee, or null when not registered
 */
public record RuntimeAccountSettings(String adminToken, String secretKey, SignInSettings signIn) {
    /** No accounts API, the key (if stored accounts need one) from the key file. */
    public static final RuntimeAccountSettings OFF = new RuntimeAccountSettings(null, null, null);

    public RuntimeAccountSettings {
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
        if (secretKey != null && secretKey.isBlank()) {
            secretKey = null;
        }
    }

    public boolean enabled() {
        return adminToken != null;
    }

    @Override
    public String toString() {
        return "RuntimeAccountSettings[api " + (enabled() ? "on" : "off") + ", key from " + (secretKey != null ? "environment" : "file")
                + ", " + (signIn == null ? "no sign-in" : signIn) + "]";
    }
}
