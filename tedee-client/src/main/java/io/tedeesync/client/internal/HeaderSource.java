package io.tedeesync.client.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Where the transport gets the {@code Authorization} header of each request, without blocking a thread
 * it must not block: at once for a fixed key or token, from a non-blocking refresh, or on an executor for
 * credentials that may block. Implementations are thread-safe.
 */
public interface HeaderSource {

    /** The header for the next request. */
    CompletableFuture<String> header();

    /**
     * After a 401 to a request that carried {@code refusedHeader}: whether new credentials may now be
     * available (see {@link io.tedeesync.client.Credentials#invalidate(String)}).
     */
    CompletableFuture<Boolean> invalidate(String refusedHeader);
}
