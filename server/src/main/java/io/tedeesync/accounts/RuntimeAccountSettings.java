package io.tedeesync.accounts;

/**
 * Accounts managed at runtime: the accounts API, sign-in, and the key their credentials are sealed with.
 *
 * @param adminToken bearer token of {@code /api/accounts} and {@code /oauth/start}; null turns them off (secret)
 * @param secretKey  the sealing key from {@value SecretKeyFile#VARIABLE}, or null for the key file in the data
 *                   directory (secret)
 * @param signIn     sign in with Tedee, or null when not registered
 * @param apiUrl     the Tedee API of an added account that names none ({@code --api-url})
 * @param apiVersion its API version ({@code --api-version})
 * @param requestTimeout the bound of one call of added accounts ({@code --timeout})
 */
public record RuntimeAccountSettings(String adminToken, String secretKey, SignInSettings signIn, java.net.URI apiUrl, String apiVersion,
        java.time.Duration requestTimeout) {
    /** No accounts API, the key (if stored accounts need one) from the key file. */
    public static final RuntimeAccountSettings OFF = new RuntimeAccountSettings(null, null, null);

    /** Added accounts talk to Tedee's API, v37, with the client's default timeout, unless they say otherwise. */
    public RuntimeAccountSettings(String adminToken, String secretKey, SignInSettings signIn) {
        this(adminToken, secretKey, signIn, io.tedeesync.client.TedeeClient.DEFAULT_BASE_URL, io.tedeesync.client.TedeeClient.DEFAULT_API_VERSION,
                io.tedeesync.accounts.AccountSpec.DEFAULT_REQUEST_TIMEOUT);
    }

    /** With these defaults for added accounts. */
    public RuntimeAccountSettings withApi(java.net.URI url, String version, java.time.Duration timeout) {
        return new RuntimeAccountSettings(adminToken, secretKey, signIn, url, version, timeout);
    }

    public RuntimeAccountSettings {
        java.util.Objects.requireNonNull(apiUrl, "apiUrl");
        java.util.Objects.requireNonNull(apiVersion, "apiVersion");
        java.util.Objects.requireNonNull(requestTimeout, "requestTimeout");
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
