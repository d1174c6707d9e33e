package io.tedeesync.client.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one small pool behind every client that was not given an {@link java.net.http.HttpClient} (and
 * behind credentials that may block, when the given client has no executor of its own). Two daemon
 * threads, created on first use and ended when idle, however many clients a process builds; and the
 * one {@link java.net.http.HttpClient} (one selector thread, one connection pool) behind every client and
 * token supplier built without one with the default connect timeout, so even accidental per-account
 * clients share threads and connections.
 */
public final class ClientThreads {
    private static final int THREADS = 2;

    private ClientThreads() {
    }

    /** The shared pool, created on first use. */
    public static Executor shared() {
        return Holder.POOL;
    }

    /** The shared HTTP client of everything built without one (connect timeout 5 s), created on first use. */
    public static java.net.http.HttpClient sharedHttpClient() {
        return ClientHolder.CLIENT;
    }

    private static final class ClientHolder {
        static final java.net.http.HttpClient CLIENT = io.tedeesync.client.TedeeClient.newHttpClient(shared(),
                java.time.Duration.ofSeconds(5));
    }

    private static final class Holder {
        static final ThreadPoolExecutor POOL = create();

        private static ThreadPoolExecutor create() {
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    task -> {
                        Thread thread = new Thread(task, "tedee-client-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
