package io.tedeesync.outbound;

import io.tedeesync.store.WebhookEndpointRow;

/**
 * An endpoint as the API shows it: its row (the sealed secrets are never shown) and its pending deliveries.
 * Immutable.
 */
public record EndpointView(WebhookEndpointRow endpoint, long pending) {
}
