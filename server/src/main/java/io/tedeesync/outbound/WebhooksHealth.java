package io.tedeesync.outbound;

import io.tedeesync.store.WebhookEndpointRow;
import java.util.List;

/**
 * The outbound webhooks for {@code /health}: how many endpoints, those disabled (with why), deliveries pending.
 * Immutable.
 */
public record WebhooksHealth(int endpoints, List<WebhookEndpointRow> disabled, long pending) {
    public WebhooksHealth {
        disabled = List.copyOf(disabled);
    }

    /** Whether an endpoint was disabled by the service (410, failing too long), not by someone through the API. */
    public boolean warning() {
        return disabled.stream().anyMatch(endpoint -> !WebhookEndpoints.DISABLED_BY_API.equals(endpoint.disabledReason()));
    }
}
