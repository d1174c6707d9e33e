package io.tedeesync.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How an instance takes part in a cluster on PostgreSQL.
 *
 * @param name      the instance's name as shown in {@code /health} and metrics, or null for {@code HOST:PORT} (its
 *                  lease owner id adds a random suffix per start, so that a restarted instance never mistakes its old
 *                  leases for its own)
 * @param url       how the other instances reach this one's HTTP API (operations and webhooks are forwarded there),
 *                  or null for {@code http://BIND:PORT}
 * @param heartbeat how often it renews its leases and looks at the others
 * @param leaseTtl  how long a lease lasts unrenewed: an instance that stops is taken over this long after its
 *                  last heartbeat (plus one heartbeat)
 */
public record ClusterSettings(String name, URI url, Duration heartbeat, Duration leaseTtl) {
    public static final Duration HEARTBEAT = Duration.ofSeconds(2);
    public static final Duration LEASE_TTL = Duration.ofSeconds(10);

    public ClusterSettings {
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        if (name != null && (name.isBlank() || name.length() > 100 || name.contains("/"))) {
            throw new IllegalArgumentException("an instance name has 1 to 100 characters, without '/'");
        }
        if (heartbeat.isNegative() || heartbeat.isZero() || leaseTtl.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("a lease must last at least three heartbeats");
        }
    }

    /** Name and address from the host and the port, a heartbeat every 2 s, leases of 10 s. */
    public static final ClusterSettings DEFAULTS = new ClusterSettings(null, null, HEARTBEAT, LEASE_TTL);

    /** The defaults: a heartbeat every 2 s, leases of 10 s. */
    public static ClusterSettings of(String name, URI url) {
        return new ClusterSettings(name, url, HEARTBEAT, LEASE_TTL);
    }
}
