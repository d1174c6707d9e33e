package io.tedeesync.client;

import java.util.function.Supplier;

/**
 * Supplies the OAuth access token for each request, so that a token can be refreshed without
 * rebuilding the client. Any {@code () -> token} lambda is one; {@link OAuthRefreshTokenSupplier}
 * refreshes through the refresh-token grant.
 *
 * <p>Implementations must be thread-safe: the client calls {@link #get()} from any thread.
 */
@FunctionalInterface
public interface AccessTokenSupplier extends Supplier<String> {

    /**
     * Called once after the API refused the current token (401). Forget it, so that the next
     * {@link #get()} obtains a fresh one.
     *
     * @return whether asking again may give a different token (false: retrying is pointless)
     */
    default boolean invalidate() {
        return false;
    }

    /**
     * Called once after the API refused {@code refusedToken} (401). Forget it only if it is still the
     * current token: when another caller has already obtained a fresh one, keep that. The default
     * forgets whatever is current ({@link #invalidate()}); {@link OAuthRefreshTokenSupplier} compares.
     *
     * @param refusedToken the token the refused request carried
     * @return whether asking again may give a different token (false: retrying is pointless)
     */
    default boolean invalidate(String refusedToken) {
        return invalidate();
    }
}
