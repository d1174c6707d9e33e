package io.tedeesync.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Runs a task after a delay, and the continuation of a call once it answers. The engine does all its
 * waiting through this and an injected {@link java.time.Clock}, so tests can drive hours of virtual
 * time in milliseconds; one scheduler (a few threads) serves every account.
 */
@FunctionalInterface
public interface TaskScheduler {

    /** Runs {@code task} once after {@code delay} (zero or negative: as soon as possible). */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * Runs {@code then} on this scheduler exactly once: with the call's result or failure (unwrapped from
     * {@link CompletionException}) when it completes, or with a {@link TimeoutException} once
     * {@code deadline} passed first (the call's future is then cancelled and a late answer dropped; whether
     * the work behind it stops is the call's affair: an HTTP client's own timeout ends the exchange). Never blocks the caller; the
     * continuation never runs on the thread that completed the call (an HTTP client's).
     */
    default <T> void whenDone(CompletableFuture<T> call, Duration deadline, BiConsumer<? super T, Throwable> then) {
        AtomicBoolean told = new AtomicBoolean();
        Cancellable timer;
        try {
            timer = schedule(() -> {
                if (told.compareAndSet(false, true)) {
                    call.cancel(true);
                    then.accept(null, new TimeoutException("no answer within " + deadline.toMillis() + " ms"));
                }
            }, deadline);
        } catch (RejectedExecutionException stopped) {
            timer = () -> { };
        }
        Cancellable deadlineTimer = timer;
        call.whenComplete((result, failure) -> {
            if (told.compareAndSet(false, true)) {
                deadlineTimer.cancel();
                Runnable continuation = () -> then.accept(result, unwrap(failure));
                try {
                    schedule(continuation, Duration.ZERO);
                } catch (RejectedExecutionException stopped) {
                    continuation.run(); // the scheduler stopped: whoever waits for this answer is still told
                }
            }
        });
    }

    /** The failure itself, not the wrapper a dependent stage or {@code get()} puts around it. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /**
     * Schedules on an executor (production): a {@link ScheduledThreadPoolExecutor} of two threads serves
     * thousands of accounts, since no task waits for a call (give the engine a
     * {@link SyncEngine.Builder#deliveryExecutor} when the durable listener writes to a database). Cancelled
     * tasks are removed from the pool's queue at once. The engine does not shut the executor down; its owner does.
     */
    static TaskScheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        if (executor instanceof ScheduledThreadPoolExecutor pool) {
            pool.setRemoveOnCancelPolicy(true); // every answered call cancels its deadline timer: do not keep them queued
        }
        return (task, delay) -> {
            Runnable guarded = () -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    // An executor would keep this in a future nobody reads: say it.
                    org.slf4j.LoggerFactory.getLogger(TaskScheduler.class).error("a scheduled engine task failed", e);
                }
            };
            ScheduledFuture<?> future = executor.schedule(guarded, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        };
    }
}
