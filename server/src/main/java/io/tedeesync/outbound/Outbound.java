package io.tedeesync.outbound;

import io.micrometer.core.instrument.MeterRegistry;
import io.tedeesync.accounts.CredentialCipher;
import io.tedeesync.store.WebhookStore;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.SyncListener;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound webhooks, signed per Standard Webhooks: the endpoints' management ({@link #endpoints()}) and the
 * dispatcher that delivers the store's queue, woken by the engine's changes (and, in a cluster, by the other
 * instances' events through {@link #wake()}). Thread-safe.
 */
public final class Outbound implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbound.class);

    private final WebhookDispatcher dispatcher;
    private final WebhookEndpoints endpoints;
    private final SyncEngine engine;
    private final SyncListener listener;

    private Outbound(WebhookDispatcher dispatcher, WebhookEndpoints endpoints, SyncEngine engine, SyncListener listener) {
        this.dispatcher = dispatcher;
        this.endpoints = endpoints;
        this.engine = engine;
        this.listener = listener;
    }

    /**
     * Starts delivering.
     *
     * @param cipher    seals and opens the endpoints' secrets (the accounts' key)
     * @param placement which endpoints this instance delivers
     * @param random    the retries' jitter
     * @param logHead   the event log's highest id as this instance knows it ({@code LockStore::lastEventId})
     */
    public static Outbound start(OutboundSettings settings, WebhookStore store, CredentialCipher cipher, SyncEngine engine,
            MeterRegistry registry, EndpointPlacement placement, Clock clock, Random random, java.util.function.LongSupplier logHead) {
        TargetPolicy policy = new TargetPolicy(settings.allowPrivateTargets());
        EndpointSecrets secrets = new EndpointSecrets(cipher);
        WebhookSender sender = new WebhookSender(new TargetChecks(policy, System::nanoTime), settings.timeout(), clock);
        WebhookDispatcher dispatcher = new WebhookDispatcher(store, secrets, sender,
                new RetrySchedule(settings.retrySchedule(), settings.retryFor(), random), settings, placement,
                new OutboundMetrics(registry, store), clock, logHead);
        WebhookEndpoints endpoints = new WebhookEndpoints(store, secrets, policy, clock, new SecureRandom(), dispatcher::wake);
        // Told after the store wrote the batch: the events are in the log when the dispatcher reads it.
        SyncListener listener = batch -> {
            if (!batch.events().isEmpty()) {
                dispatcher.wake();
            }
        };
        engine.addListener(listener);
        dispatcher.wake();
        if (settings.allowPrivateTargets()) {
            LOG.info("outbound webhooks may target loopback and private networks (--allow-private-webhook-targets)");
        }
        return new Outbound(dispatcher, endpoints, engine, listener);
    }

    /** The endpoints' management, for the API. */
    public WebhookEndpoints endpoints() {
        return endpoints;
    }

    /** Looks at the queue now (events written by another instance). */
    public void wake() {
        dispatcher.wake();
    }

    /** No new attempt starts; those in flight are abandoned and stay pending (sent again after a restart). */
    @Override
    public void close() {
        engine.removeListener(listener);
        dispatcher.close();
    }
}
