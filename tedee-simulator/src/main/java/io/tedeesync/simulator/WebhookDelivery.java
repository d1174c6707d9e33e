package io.tedeesync.simulator;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * One attempt to POST a webhook to a registered URL. Failed attempts are recorded, not retried.
 *
 * <p>Immutable and thread-safe.
 *
 * @param at when it was sent, in simulated time (the webhook's {@code timestamp})
 * @param event the event name, e.g. {@code lock-status-changed}
 * @param userIdentity the receiving user's identity
 * @param target the URL it was posted to
 * @param status the HTTP status the target answered, or {@code 0} when there was no answer
 * @param failure why there was no answer (e.g. connection refused), or {@code null}
 * @param body the JSON body that was posted
 */
public record WebhookDelivery(
        Instant at, String event, String userIdentity, URI target, int status, String failure, String body) {

    public WebhookDelivery {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(userIdentity, "userIdentity");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
    }

    /** Whether the target answered with a 2xx status. */
    public boolean delivered() {
        return failure == null && status >= 200 && status < 300;
    }
}
