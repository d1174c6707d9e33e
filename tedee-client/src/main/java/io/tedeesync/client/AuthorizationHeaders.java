package io.tedeesync.client;

import io.tedeesync.client.internal.BearerCredentials;
import io.tedeesync.client.internal.HeaderSource;
import io.tedeesync.client.internal.PersonalKeyCredentials;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Chooses how the transport gets its {@code Authorization} header from {@link Credentials}, whose public
 * method may block. Lives beside {@link OAuthRefreshTokenSupplier} so it can use that supplier's
 * package-private non-blocking refresh without making it public API.
 */
final class AuthorizationHeaders {
    private AuthorizationHeaders() {
    }

    /**
     * @param blockingWork where credentials that may block are asked: the HTTP client's executor, never a
     *                     caller's or selector thread
     */
    static HeaderSource of(Credentials credentials, Executor blockingWork) {
        if (credentials instanceof RotatableCredentials rotatable) {
            return new Rotating(rotatable, blockingWork);
        }
        if (credentials instanceof PersonalKeyCredentials
                || credentials instanceof BearerCredentials bearer && bearer.isFixed()) {
            return new Immediate(credentials);
        }
        if (credentials instanceof BearerCredentials bearer && bearer.tokens() instanceof OAuthRefreshTokenSupplier oauth) {
            return new Refreshing(bearer, oauth);
        }
        return new OnExecutor(credentials, blockingWork);
    }

    /** Whatever the credentials are now: each request asks the current ones in their own way. */
    private record Rotating(RotatableCredentials rotatable, Executor blockingWork) implements HeaderSource {
        @Override
        public CompletableFuture<String> header() {
            return of(rotatable.current(), blockingWork).header();
        }

        @Override
        public CompletableFuture<Boolean> invalidate(String refusedHeader) {
            return of(rotatable.current(), blockingWork).invalidate(refusedHeader);
        }
    }

    /** A fixed key or token: nothing to wait for. */
    private record Immediate(Credentials credentials) implements HeaderSource {
        @Override
        public CompletableFuture<String> header() {
            return now(credentials::authorizationHeader);
        }

        @Override
        public CompletableFuture<Boolean> invalidate(String refusedHeader) {
            return now(() -> credentials.invalidate(refusedHeader));
        }
    }

    /** OAuth tokens refreshed without blocking: a refresh is a future on the token request. */
    private record Refreshing(BearerCredentials bearer, OAuthRefreshTokenSupplier tokens) implements HeaderSource {
        @Override
        public CompletableFuture<String> header() {
            return tokens.getAsync().thenApply(BearerCredentials::header);
        }

        @Override
        public CompletableFuture<Boolean> invalidate(String refusedHeader) {
            return now(() -> bearer.invalidate(refusedHeader)); // drops the token if still current: no I/O
        }
    }

    /** Credentials this client does not know: they may block, so they are asked on the executor. */
    private record OnExecutor(Credentials credentials, Executor executor) implements HeaderSource {
        @Override
        public CompletableFuture<String> header() {
            return CompletableFuture.supplyAsync(credentials::authorizationHeader, executor);
        }

        @Override
        public CompletableFuture<Boolean> invalidate(String refusedHeader) {
            return CompletableFuture.supplyAsync(() -> credentials.invalidate(refusedHeader), executor);
        }
    }

    private static <T> CompletableFuture<T> now(Supplier<T> value) {
        try {
            return CompletableFuture.completedFuture(value.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
