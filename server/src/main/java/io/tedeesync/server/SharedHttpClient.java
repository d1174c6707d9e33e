package io.tedeesync.server;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one HTTP client of the service, for the Tedee API calls of every account. The JDK's client runs a
 * selector thread and a growing pool of its own per instance, so a client per account made the
 * service's threads grow with its accounts (80 accounts: ~250 threads). Its executor here is small and
 * fixed: the engine's own threads make the calls and wait for them, this pool only hands the answers
 * over; its threads end when idle. The settings are those of {@code TedeeClient}'s own default client.
 */
final class SharedHttpClient {
    private static final int THREADS = 4;

    private SharedHttpClient() {
    }

    static HttpClient create() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "tedee-sync-api-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }
}
