package io.tedeesync.cluster;

import java.net.URI;
import java.util.List;

/**
 * What one instance knows of the cluster, as of its last heartbeat: for {@code /health} and metrics.
 *
 * @param instance  this instance's lease owner id (its name and a suffix unique to this start)
 * @param name      this instance's name
 * @param url       where the others reach it
 * @param owned     the accounts it owns, by name
 * @param instances every instance registered, alive or not, with the accounts each owns
 */
public record ClusterView(String instance, String name, URI url, List<String> owned, List<Peer> instances) {
    public ClusterView {
        owned = List.copyOf(owned);
        instances = List.copyOf(instances);
    }

    /** One instance as the lease table shows it. */
    public record Peer(String id, String url, boolean alive, int accounts) {
    }
}
