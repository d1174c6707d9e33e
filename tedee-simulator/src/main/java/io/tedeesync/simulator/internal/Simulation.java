package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.OAuthTokens;
import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.RequestCounts;
import io.tedeesync.simulator.WebhookDelivery;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Everything a simulator is apart from its HTTP server: the world, the rate limiter, the request
 * log, faults, tokens, authorization codes and webhooks. The public facade and the control API both drive it.
 *
 * <p>Thread-safe. Every change goes through {@link #change}, which lets the world apply it under its
 * own monitor and then sends the webhooks it caused, outside that monitor.
 */
public final class Simulation implements AutoCloseable {

    private final Clock clock;
    private final World world;
    private final RateLimiter rateLimiter;
    private final RequestLog requestLog;
    private final FaultQueue faults = new FaultQueue();
    private final TokenStore tokens;
    private final AuthorizationCodes authorizationCodes;
    private final WebhookDispatcher webhooks;
    private final ExecutorService ownedWebhookExecutor;

    /**
     * @param requestLogCapacity how many of the latest requests {@link #requests()} keeps
     * @param stateHistoryCapacity how many of the latest position and connection changes each lock keeps
     * @param webhookExecutor runs webhook POSTs; null for a single daemon thread owned (and closed) here
     */
    public Simulation(Clock clock, long seed, Duration operationDelay, int requestsPerHour, Duration syncFloor,
            int requestLogCapacity, int stateHistoryCapacity, Executor webhookExecutor) {
        this.clock = clock;
        this.ownedWebhookExecutor = webhookExecutor == null
                ? Executors.newSingleThreadExecutor(new NamedThreads("tedee-simulator-webhooks")) : null;
        this.webhooks = new WebhookDispatcher(clock,
                webhookExecutor == null ? ownedWebhookExecutor : webhookExecutor);
        this.world = new World(clock, seed, operationDelay, stateHistoryCapacity, webhooks);
        this.rateLimiter = new RateLimiter(requestsPerHour);
        this.requestLog = new RequestLog(syncFloor, requestLogCapacity);
        this.tokens = new TokenStore(seed);
        this.authorizationCodes = new AuthorizationCodes(seed);
    }

    /** Applies a change to the world, then sends the webhooks it caused and waits until they are handed over. */
    public <T> T change(Function<World, T> change) {
        return change(change, true);
    }

    /** {@link #change(Function)} for changes without a result. */
    public void run(Consumer<World> change) {
        change(world -> {
            change.accept(world);
            return null;
        }, true);
    }

    <T> T change(Function<World, T> change, boolean awaitWebhooks) {
        try {
            return change.apply(world);
        } finally {
            webhooks.deliverPending(awaitWebhooks);
        }
    }

    /**
     * Runs everything due up to the clock's now and sends the webhooks that caused.
     *
     * @param awaitWebhooks wait until webhooks another thread is handing over are handed over too
     */
    public void advance(boolean awaitWebhooks) {
        change(world -> {
            world.advance();
            return null;
        }, awaitWebhooks);
    }

    public OAuthTokens issueTokens(String account) {
        String identity = world.identityOf(account);
        return tokens.issue(account, identity, clock.instant()).tokens();
    }

    /** See {@code TedeeSimulator#singleUseRefreshTokens}. */
    public void singleUseRefreshTokens(boolean spentOnUse) {
        tokens.singleUseRefreshTokens(spentOnUse);
    }

    public void expireAccessTokens(String account) {
        if (!world.hasAccount(account)) {
            throw new IllegalArgumentException("No account named " + account);
        }
        tokens.expireAccessTokens(account);
    }

    public void injectFault(Fault fault, int times, String account) {
        if (account != null && !world.hasAccount(account)) {
            throw new IllegalArgumentException("No account named " + account);
        }
        faults.add(fault, times, account);
    }

    public void registerWebhook(URI target) {
        webhooks.register(target);
    }

    public List<RecordedRequest> requests() {
        return requestLog.snapshot();
    }

    public RequestCounts requestCounts() {
        return requestLog.counts();
    }

    public long syncCallsTooSoon() {
        return requestLog.tooSoonCount();
    }

    public long syncCallsTooSoon(String account) {
        if (!world.hasAccount(account)) {
            throw new IllegalArgumentException("No account named " + account);
        }
        return requestLog.tooSoonCount(account);
    }

    public void clearRequests() {
        requestLog.clear();
    }

    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks.deliveries();
    }

    Clock clock() {
        return clock;
    }

    World world() {
        return world;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    RequestLog requestLog() {
        return requestLog;
    }

    FaultQueue faults() {
        return faults;
    }

    TokenStore tokens() {
        return tokens;
    }

    AuthorizationCodes authorizationCodes() {
        return authorizationCodes;
    }

    /** Stops the webhook thread it owns, letting a delivery in progress finish for a moment. */
    @Override
    public void close() {
        if (ownedWebhookExecutor != null) {
            ownedWebhookExecutor.shutdown();
            try {
                if (!ownedWebhookExecutor.awaitTermination(2, TimeUnit.SECONDS)) {
                    ownedWebhookExecutor.shutdownNow();
                }
            } catch (InterruptedException e) {
                ownedWebhookExecutor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
