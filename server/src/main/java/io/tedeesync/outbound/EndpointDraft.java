package io.tedeesync.outbound;

import java.util.List;

/**
 * A new endpoint as asked for. Immutable.
 *
 * @param url         where to post (http or https)
 * @param eventTypes  the event types to deliver ({@code StateChanged}, ...), or null for all
 * @param accounts    the accounts whose events to deliver, or null for all
 * @param description for people, or null
 */
public record EndpointDraft(String url, List<String> eventTypes, List<String> accounts, String description) {
}
