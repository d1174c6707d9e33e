package io.tedeesync.simulator.internal;

import java.util.List;

/** Where the {@link World} drops webhooks; called under the world's monitor, so it must only queue. */
interface WebhookSink {

    void enqueue(WebhookEvent event, List<String> userIdentities);
}
