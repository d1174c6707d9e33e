package io.tedeesync.accounts;

import io.tedeesync.client.TedeeClient;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place an account's spec becomes its client, for {@code serve}, {@code watch} and
 * {@code locks}: its URL, API version, credentials and {@code --timeout}, over one {@link HttpClient}
 * shared by every account (two threads and a pool of connections whatever the number of accounts).
 * Thread-safe; close it after the engine.
 */
public final class AccountClients implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Clock clock;
    private final ExecutorService executor;
    private final HttpClient http;

    public AccountClients(Clock clock) {
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "tedee-api-client-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = TedeeClient.newHttpClient(executor, CONNECT_TIMEOUT);
    }

    /** The account's client, ready for the engine (which adds its request budget) or to build. */
    public TedeeClient.Builder builder(AccountSpec account) {
        return TedeeClient.builder()
                .baseUrl(account.apiUrl())
                .apiVersion(account.apiVersion())
                .credentials(account.credentials())
                .requestTimeout(account.requestTimeout())
                .clock(clock)
                .httpClient(http);
    }

    /** The one HTTP client every account shares (token endpoints included). */
    public HttpClient http() {
        return http;
    }

    /** The engine's account for a spec: its client, counted by {@code listener} (metrics). */
    public io.tedeesync.sync.AccountConfig engineAccount(AccountSpec account, io.tedeesync.client.RequestListener listener) {
        return new io.tedeesync.sync.AccountConfig(account.name(), builder(account).requestListener(listener), account.syncInterval(),
                account.userIdentity());
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
