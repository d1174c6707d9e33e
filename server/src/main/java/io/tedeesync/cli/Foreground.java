package io.tedeesync.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Runs until the process is asked to stop (SIGTERM, Ctrl-C) or the thread is interrupted, then closes what
 * it runs on the calling thread, so that the command returns its own exit code: 0 after a clean stop (see
 * {@link StopSignals}). For any other end of the JVM a shutdown hook waits until everything is closed.
 */
final class Foreground {
    private Foreground() {
    }

    static void runUntilStopped(AutoCloseable running) throws Exception {
        runUntilStopped(running, new CompletableFuture<>());
    }

    /** Also stops when {@code done} completes (the work ended by itself, e.g. every account failed). */
    static void runUntilStopped(AutoCloseable running, CompletableFuture<?> done) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        done.whenComplete((result, error) -> stopped.countDown());
        StopSignals signals = StopSignals.take(stopped::countDown);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopped.countDown();
            try {
                closed.await(); // let the calling thread finish closing (in-flight writes) before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tedee-sync-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            stopped.await();
        } catch (InterruptedException e) {
            interrupted = true; // asked to stop: a clean exit, once everything is closed
        } finally {
            try {
                running.close();
            } finally {
                closed.countDown();
                signals.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waited for us
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
