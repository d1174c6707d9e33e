package io.tedeesync.simulator;

import java.time.Instant;
import java.util.Objects;

/**
 * One request the simulator received on {@code /api} or {@code /oauth2}, as recorded for tests and
 * benchmarks. Control requests ({@code /_sim}) are not recorded.
 *
 * <p>Immutable and thread-safe.
 *
 * @param at when it arrived, in simulated time
 * @param account the authenticated account's name, or {@code null} when it was not authenticated
 * @param method the HTTP method
 * @param path the raw path, e.g. {@code /api/v37/my/lock/sync}
 * @param query the raw query string, empty when there was none
 * @param status the HTTP status answered; {@code 0} when the connection was dropped by a fault
 * @param syncTooSoon whether this was a sync that came sooner than the sync floor allows
 */
public record RecordedRequest(
        Instant at, String account, String method, String path, String query, int status, boolean syncTooSoon) {

    public RecordedRequest {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? "" : query;
    }
}
