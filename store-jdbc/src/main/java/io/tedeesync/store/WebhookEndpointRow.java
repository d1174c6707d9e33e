package io.tedeesync.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An outbound webhook endpoint as the store keeps it. The signing secrets reach the store only sealed by
 * the server, and {@link #toString()} never shows them. Times are kept to the millisecond. Immutable.
 *
 * @param id                   the endpoint's id, unique
 * @param url                  where deliveries are posted
 * @param description          for people, or null
 * @param eventTypes           the event types delivered ({@link StoredEvent#type()}), or null for all
 * @param accounts             the accounts whose events are delivered, or null for all
 * @param sealedSecret         the current signing secret, sealed
 * @param sealedPreviousSecret the secret before the last rotation, sealed, or null
 * @param previousSecretUntil  until when the previous secret signs too, or null
 * @param enabled              whether deliveries are made (a disabled endpoint keeps its queue and its cursor)
 * @param disabledReason       why it was disabled, or null
 * @param disabledAt           when it was disabled, or null
 * @param failingSince         when its current run of failed attempts began, or null while healthy
 * @param cursor               the id of the last event it was given a delivery for (or found not to match)
 * @param createdAt            when it was created
 * @param updatedAt            when it was last changed
 */
public record WebhookEndpointRow(String id, String url, String description, List<String> eventTypes, List<String> accounts,
        String sealedSecret, String sealedPreviousSecret, Instant previousSecretUntil, boolean enabled, String disabledReason,
        Instant disabledAt, Instant failingSince, long cursor, Instant createdAt, Instant updatedAt) {

    public WebhookEndpointRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (id.isBlank()) {
            throw new IllegalArgumentException("an endpoint id must not be blank");
        }
        eventTypes = eventTypes == null ? null : List.copyOf(eventTypes);
        accounts = accounts == null ? null : List.copyOf(accounts);
    }

    public WebhookEndpointRow withUrl(String newUrl) {
        return new WebhookEndpointRow(id, newUrl, description, eventTypes, accounts, sealedSecret, sealedPreviousSecret,
                previousSecretUntil, enabled, disabledReason, disabledAt, failingSince, cursor, createdAt, updatedAt);
    }

    public WebhookEndpointRow withDescription(String newDescription) {
        return new WebhookEndpointRow(id, url, newDescription, eventTypes, accounts, sealedSecret, sealedPreviousSecret,
                previousSecretUntil, enabled, disabledReason, disabledAt, failingSince, cursor, createdAt, updatedAt);
    }

    public WebhookEndpointRow withEventTypes(List<String> types) {
        return new WebhookEndpointRow(id, url, description, types, accounts, sealedSecret, sealedPreviousSecret,
                previousSecretUntil, enabled, disabledReason, disabledAt, failingSince, cursor, createdAt, updatedAt);
    }

    public WebhookEndpointRow withAccounts(List<String> names) {
        return new WebhookEndpointRow(id, url, description, eventTypes, names, sealedSecret, sealedPreviousSecret,
                previousSecretUntil, enabled, disabledReason, disabledAt, failingSince, cursor, createdAt, updatedAt);
    }

    /** With a new current secret, and the one before it signing too until {@code previousUntil}. */
    public WebhookEndpointRow withSecrets(String sealed, String sealedPrevious, Instant previousUntil) {
        return new WebhookEndpointRow(id, url, description, eventTypes, accounts, sealed, sealedPrevious, previousUntil,
                enabled, disabledReason, disabledAt, failingSince, cursor, createdAt, updatedAt);
    }

    /** Enabled (reason and time cleared, and the failing run forgotten) or disabled for {@code reason} at {@code at}. */
    public WebhookEndpointRow withEnabled(boolean on, String reason, Instant at) {
        return on
                ? new WebhookEndpointRow(id, url, description, eventTypes, accounts, sealedSecret, sealedPreviousSecret,
                        previousSecretUntil, true, null, null, null, cursor, createdAt, updatedAt)
                : new WebhookEndpointRow(id, url, description, eventTypes, accounts, sealedSecret, sealedPreviousSecret,
                        previousSecretUntil, false, reason, at, failingSince, cursor, createdAt, updatedAt);
    }

    public WebhookEndpointRow withUpdatedAt(Instant at) {
        return new WebhookEndpointRow(id, url, description, eventTypes, accounts, sealedSecret, sealedPreviousSecret,
                previousSecretUntil, enabled, disabledReason, disabledAt, failingSince, cursor, createdAt, at);
    }

    /** Every field but the sealed secrets, which show as {@code secrets=hidden}. */
    @Override
    public String toString() {
        return "WebhookEndpointRow[id=" + id + ", url=" + url + ", description=" + description + ", eventTypes=" + eventTypes
                + ", accounts=" + accounts + ", secrets=hidden, previousSecretUntil=" + previousSecretUntil + ", enabled=" + enabled
                + ", disabledReason=" + disabledReason + ", disabledAt=" + disabledAt + ", failingSince=" + failingSince
                + ", cursor=" + cursor + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt + "]";
    }
}
