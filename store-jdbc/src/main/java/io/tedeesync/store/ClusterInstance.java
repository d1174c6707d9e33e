package io.tedeesync.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An instance serving from the database, as {@link ClusterStore#instances} reads it. Immutable.
 *
 * @param id        its id, as it joined
 * @param url       how other instances reach it
 * @param startedAt when it joined, in the reading instance's clock
 * @param alive     whether its last heartbeat is younger than the {@code alive} duration asked for
 */
public record ClusterInstance(String id, String url, Instant startedAt, boolean alive) {
    public ClusterInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
