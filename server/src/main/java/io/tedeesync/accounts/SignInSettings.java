package io.tedeesync.accounts;

import java.net.URI;
import java.util.Objects;

/**
 * Sign in with Tedee (OAuth authorization code + PKCE): what Tedee registered for this service.
 *
 * @param clientId     the client id Tedee issued
 * @param clientSecret the client secret, for service-to-service registrations only; null for none (secret)
 * @param authorizeUrl Tedee's authorize endpoint
 * @param tokenUrl     Tedee's token endpoint
 * @param scopes       space-separated; must include {@code offline_access} for a refresh token
 * @param redirectUri  this service's {@code /oauth/callback} as registered with Tedee, or null for
 *                     {@code http://<bind>:<port>/oauth/callback}
 */
public record SignInSettings(String clientId, String clientSecret, URI authorizeUrl, URI tokenUrl, String scopes, URI redirectUri) {
    /** Tedee's Azure AD B2C policy, as in howtos/authenticate.rst. */
    public static final URI TEDEE_AUTHORIZE_URL =
            URI.create("https://tedee.b2clogin.com/tedee.onmicrosoft.com/B2C_1A_Signup_Signin_With_Kmsi/oauth2/v2.0/authorize");
    public static final URI TEDEE_TOKEN_URL =
            URI.create("https://tedee.b2clogin.com/tedee.onmicrosoft.com/B2C_1A_Signup_Signin_With_Kmsi/oauth2/v2.0/token");
    /** Acting for the user, reading devices, operating locks, and a refresh token. */
    public static final String DEFAULT_SCOPES = "https://tedee.onmicrosoft.com/api/user_impersonation"
            + " https://tedee.onmicrosoft.com/api/Device.Read https://tedee.onmicrosoft.com/api/Lock.Operate offline_access";

    public SignInSettings {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("sign-in needs a client id (--oauth-client-id)");
        }
        Objects.requireNonNull(authorizeUrl, "authorizeUrl");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(scopes, "scopes");
        for (URI url : redirectUri == null ? new URI[] {authorizeUrl, tokenUrl} : new URI[] {authorizeUrl, tokenUrl, redirectUri}) {
            if (!url.isAbsolute() || url.getHost() == null) {
                throw new IllegalArgumentException("'" + url + "' is not an absolute URL");
            }
        }
        if (clientSecret != null && clientSecret.isBlank()) {
            clientSecret = null;
        }
    }

    @Override
    public String toString() {
        return "SignInSettings[client " + clientId + ", " + authorizeUrl + ", secret " + (clientSecret == null ? "none" : "hidden") + "]";
    }
}
