package io.tedeesync.client;

import io.tedeesync.client.internal.BearerCredentials;
import io.tedeesync.client.internal.PersonalKeyCredentials;

/**
 * How the client authenticates: a personal access key ({@code PersonalKey <key>}) or an OAuth access
 * token ({@code Bearer <token>}). The {@code toString()} of every implementation hides the secret.
 */
public interface Credentials {

    /**
     * The value of the {@code Authorization} header; may block while a token is refreshed. The async calls
     * of {@link TedeeClient} never call it on their caller's thread or an HTTP selector thread: for
     * credentials other than {@link #personalKey}, {@link #bearerToken} and {@link #bearer} of an
     * {@link OAuthRefreshTokenSupplier} (which refreshes without blocking) it runs on the HTTP client's
     * executor, so keep it short and never make it wait for work of that executor.
     */
    String authorizationHeader();

    /**
     * Called once after a 401. Returns whether new credentials may now be available, in which case the
     * client retries the request once.
     */
    default boolean invalidate() {
        return false;
    }

    /**
     * Called once after a 401 to a request that carried {@code refusedHeader}: only those credentials are
     * forgotten, not newer ones another request already obtained. Returns whether new credentials may now
     * be available. The default calls {@link #invalidate()}.
     */
    default boolean invalidate(String refusedHeader) {
        return invalidate();
    }

    /**
     * The scheme of the {@code Authorization} header these credentials give: {@code PersonalKey} or
     * {@code Bearer} (OAuth). Never blocks, never reveals the secret. Credentials of other kinds answer
     * {@code Bearer} unless they say otherwise.
     */
    default String scheme() {
        return "Bearer";
    }

    /**
     * Credentials that can be replaced while clients use them (a rotated key, a new sign-in): each request
     * takes the current ones, and clients built with them need no rebuild.
     */
    static RotatableCredentials rotatable(Credentials initial) {
        return new RotatableCredentials(initial);
    }

    /** A personal access key, as generated in the Tedee portal. */
    static Credentials personalKey(String key) {
        return new PersonalKeyCredentials(key);
    }

    /** A fixed OAuth access token (valid 4 hours). */
    static Credentials bearerToken(String accessToken) {
        requireToken(accessToken);
        return BearerCredentials.fixed(accessToken);
    }

    /** OAuth access tokens from a supplier that may refresh them, e.g. {@link OAuthRefreshTokenSupplier}. */
    static Credentials bearer(AccessTokenSupplier tokens) {
        return new BearerCredentials(tokens);
    }

    private static void requireToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the access token is empty");
        }
    }
}
