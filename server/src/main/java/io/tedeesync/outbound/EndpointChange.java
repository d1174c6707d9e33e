package io.tedeesync.outbound;

import java.util.List;

/**
 * What a {@code PATCH} changes; a null component is left as it is. Immutable.
 *
 * @param url         a new URL, or null
 * @param eventTypes  new event types ({@code Setting(null)}: all), or null
 * @param accounts    new accounts ({@code Setting(null)}: all), or null
 * @param description a new description ({@code Setting(null)}: none), or null
 * @param enabled     enable (clears the disabled reason and the failing run) or disable, or null
 */
public record EndpointChange(String url, Setting<List<String>> eventTypes, Setting<List<String>> accounts, Setting<String> description,
        Boolean enabled) {

    /** A value given, which may be null (as JSON {@code null}). */
    public record Setting<T>(T value) {
    }

    public boolean isEmpty() {
        return url == null && eventTypes == null && accounts == null && description == null && enabled == null;
    }
}
