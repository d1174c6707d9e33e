package io.tedeesync.outbound;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.store.WebhookEndpointRow;
import java.util.function.Predicate;

/**
 * What an endpoint is sent for an event: {@code {"type": <event type>, "timestamp": <when it happened,
 * ISO-8601>, "data": <the event exactly as /api/events shows it>}}, and which events it is sent at all (its
 * event types and accounts; none given: all). Stateless.
 */
final class DeliveryPayload {
    private DeliveryPayload() {
    }

    static String body(StoredEvent event) {
        return "{\"type\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(event.type())) + "\",\"timestamp\":\""
                + event.occurredAt() + "\",\"data\":" + event.json() + "}";
    }

    static Predicate<StoredEvent> matcher(WebhookEndpointRow endpoint) {
        return event -> (endpoint.eventTypes() == null || endpoint.eventTypes().contains(event.type()))
                && (endpoint.accounts() == null || endpoint.accounts().contains(event.account()));
    }
}
