package io.tedeesync.client.internal;

import io.tedeesync.client.Endpoint;
import io.tedeesync.client.TedeeConnectionException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The edges of the client's futures: what an async method hands out (failed with the exception itself,
 * not a {@link CompletionException}) and how a blocking method waits for it.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * Starts {@code call} and returns a future that fails with the cause itself: a dependent stage wraps
     * what it throws in a {@link CompletionException}, and a caller's {@code whenComplete} would see the
     * wrapper. Whatever {@code call} throws while starting fails the future too.
     */
    public static <T> CompletableFuture<T> settled(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> started;
        try {
            started = call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> settled = new CompletableFuture<>();
        started.whenComplete((value, failure) -> {
            if (failure == null) {
                settled.complete(value);
            } else {
                settled.completeExceptionally(unwrap(failure));
            }
        });
        return settled;
    }

    /**
     * Waits for a future of this client and returns its value, or throws its failure as it is, so a
     * blocking method throws what its async twin fails with. Interrupting the waiting thread ends the wait
     * at once (the call itself runs on to its deadline; its answer is dropped).
     */
    public static <T> T await(CompletableFuture<T> future, Endpoint endpoint) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TedeeConnectionException(endpoint.template() + " was interrupted", endpoint, false, e);
        } catch (CancellationException e) {
            throw new TedeeConnectionException(endpoint.template() + " was cancelled", endpoint, false, e);
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        }
    }

    /** The failure inside the wrappers {@link CompletableFuture} puts around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static RuntimeException rethrowable(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        // Every expected failure is mapped to a TedeeException before it gets here: this is a bug.
        return new IllegalStateException("the call failed unexpectedly", cause);
    }
}
