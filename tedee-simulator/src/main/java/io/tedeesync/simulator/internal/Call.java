package io.tedeesync.simulator.internal;

import java.time.Instant;
import java.util.Map;

/**
 * One request as a handler sees it. {@code version} and {@code account} are set for API calls only
 * (they are null for control and token requests).
 */
record Call(Map<String, String> pathParams, Query query, byte[] body, Instant at, ApiVersion version,
        String account) {

    String param(String name) {
        return pathParams.get(name);
    }

    /** A numeric id from the path; anything else names no lock, so it is a 404 like an unknown id. */
    long idParam(String name) {
        try {
            return Long.parseLong(param(name));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
