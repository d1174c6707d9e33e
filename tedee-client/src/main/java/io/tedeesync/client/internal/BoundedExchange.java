package io.tedeesync.client.internal;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange under a hard deadline. The request timeout of the JDK client only bounds the wait for
 * the response headers: a body that stalls after them escapes it. The deadline holds no thread: one timer
 * task (the JDK's shared delay scheduler), removed as soon as the answer arrives. When it expires first the
 * exchange is cancelled and its late answer, if any, is dropped. Thread-safe (stateless).
 */
final class BoundedExchange {
    private BoundedExchange() {
    }

    /**
     * Sends {@code request} and completes with its response, with the client's failure (an
     * {@link java.io.IOException}, an {@link java.net.http.HttpTimeoutException}), or with a
     * {@link TimeoutException} once {@code deadline} has passed. Whatever {@code sendAsync} throws while
     * starting (an unsendable request) is thrown from here. The deadline's failure is delivered on the
     * client's executor when it has one, so no caller's continuation runs on the JDK-wide timer thread.
     */
    static CompletableFuture<HttpResponse<byte[]>> send(HttpClient http, HttpRequest request, Duration deadline) {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<HttpResponse<byte[]>> answer = new CompletableFuture<>();
        CompletableFuture<Void> timer = new CompletableFuture<Void>().orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
        Executor executor = http.executor().orElse(null);
        timer.whenComplete((ignored, expired) -> {
            if (expired != null) {
                deliver(executor, () -> {
                    if (answer.completeExceptionally(new TimeoutException("no complete answer within " + deadline.toMillis() + " ms"))) {
                        pending.cancel(true); // aborts the exchange; its late outcome finds the answer already given
                    }
                });
            }
        });
        pending.whenComplete((response, failure) -> {
            timer.complete(null); // removes the timer task at once: nothing waits out the deadline
            // On the client's executor: the JDK 17 client completes sendAsync on CompletableFuture's default
            // executor, which is a new thread per task on a machine of 2 cores or fewer; parsing, listeners
            // and the caller's continuation must not run there.
            deliver(executor, () -> {
                if (failure == null) {
                    answer.complete(response);
                } else {
                    answer.completeExceptionally(failure);
                }
            });
        });
        return answer;
    }

    private static void deliver(Executor executor, Runnable task) {
        if (executor == null) {
            task.run();
            return;
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException shutDown) {
            task.run();
        }
    }
}
