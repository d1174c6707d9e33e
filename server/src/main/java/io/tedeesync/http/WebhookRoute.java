package io.tedeesync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tedeesync.client.webhook.MalformedWebhookException;
import io.tedeesync.client.webhook.WebhookNotification;
import io.tedeesync.client.webhook.Webhooks;
import io.tedeesync.metrics.SyncMetrics;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.WebhookOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /webhooks/tedee/{secret}}: Tedee's webhooks carry no signature, so the URL carries a
 * secret, compared in constant time. A wrong or missing secret (or none configured) answers 404 like any
 * unknown path, and applies nothing. A 2xx means the observation was merged and its changes reached
 * every listener, the store among them, within the engine's delivery wait; otherwise 503. With several
 * instances, a webhook for an account another instance owns is relayed to it and answered with its answer
 * ({@link ClusterRouting}).
 */
final class WebhookRoute {
    static final int MAX_BODY = 64 * 1024;

    /** How long a relayed webhook waits for its owner's answer: the owner's own store wait, and a margin. */
    private static final java.time.Duration RELAY_WAIT = java.time.Duration.ofSeconds(15);

    private final SyncEngine engine;
    private final SyncMetrics metrics;
    private final byte[] secret;
    /** With several instances: a webhook for another instance's account is relayed to it; null for one instance. */
    private final ClusterRouting cluster;

    WebhookRoute(SyncEngine engine, SyncMetrics metrics, String secret, ClusterRouting cluster) {
        this.engine = engine;
        this.metrics = metrics;
        this.cluster = cluster;
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    void register(RoutesConfig routes) {
        routes.post("/webhooks/tedee/{secret}", this::receive);
    }

    private void receive(Context ctx) throws IOException, InterruptedException {
        if (secret == null || !MessageDigest.isEqual(secret, ctx.pathParam("secret").getBytes(StandardCharsets.UTF_8))) {
            metrics.webhookRejected("bad_secret");
            ApiJson.error(ctx, 404, "not_found", "no such route");
            return;
        }
        long declared = ctx.contentLength();
        byte[] body = declared > MAX_BODY ? null : readAtMost(ctx.bodyInputStream(), MAX_BODY);
        if (body == null) {
            metrics.webhookRejected("too_large");
            ApiJson.error(ctx, 413, "too_large", "a webhook body may be at most " + MAX_BODY + " bytes");
            return;
        }
        WebhookNotification notification;
        try {
            notification = Webhooks.parse(body);
        } catch (MalformedWebhookException e) {
            metrics.webhookRejected("malformed");
            ApiJson.error(ctx, 400, "malformed", e.getMessage());
            return;
        }
        long fencedBefore = cluster == null ? 0 : cluster.fencedBatches();
        WebhookOutcome outcome = engine.acceptWebhook(notification);
        if (cluster != null && cluster.fencedBatches() != fencedBefore) {
            // A write was refused meanwhile because this instance no longer holds a lease it thought it held: this
            // webhook's change may be among it. The sender retries, and the account's new owner takes it.
            metrics.webhookRejected("not_written");
            ctx.header("Retry-After", "2");
            ApiJson.error(ctx, 503, "not_written", "this instance no longer owns the account; retry");
            return;
        }
        if (outcome == WebhookOutcome.UNKNOWN_DEVICE && cluster != null
                && cluster.webhook(ctx, notification.deviceId(), body, RELAY_WAIT)) {
            metrics.webhookReceived("relayed");
            return; // the owner's answer: 2xx only once it stored the change
        }
        if (outcome == WebhookOutcome.NOT_DELIVERED) {
            metrics.webhookRejected("not_written");
            ApiJson.error(ctx, 503, "not_written", "the change could not be written in time; it is kept and written as soon as the store works");
            return;
        }
        String name = outcome.name().toLowerCase(Locale.ROOT);
        metrics.webhookReceived(name);
        ApiJson.send(ctx, 200, Map.of("outcome", name));
    }

    /** The body, or null when it is longer than {@code limit} (whatever Content-Length claimed). */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
    }
}
