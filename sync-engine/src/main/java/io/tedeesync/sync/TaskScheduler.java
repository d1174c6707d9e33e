package io.tedeesync.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay. The engine does all its waiting through this and an injected
 * {@link java.time.Clock}, so tests can drive hours of virtual time in milliseconds.
 */
@FunctionalInterface
public interface TaskScheduler {

    /** Runs {@code task} once after {@code delay} (zero or negative: as soon as possible). */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Schedules on an executor (production). The engine does not shut the executor down; its owner does. */
    static TaskScheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
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
