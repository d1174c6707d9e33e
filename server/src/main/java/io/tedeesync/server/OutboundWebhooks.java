package io.tedeesync.server;

import io.tedeesync.accounts.CredentialCipher;
import io.tedeesync.cluster.ClusterMember;
import io.tedeesync.cluster.ClusterView;
import io.tedeesync.metrics.SyncMetrics;
import io.tedeesync.outbound.EndpointPlacement;
import io.tedeesync.outbound.Outbound;
import io.tedeesync.store.LockStore;
import io.tedeesync.sync.SyncEngine;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the service puts together its outbound webhooks, and prunes their finished deliveries. Stateless. */
final class OutboundWebhooks {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");

    private OutboundWebhooks() {
    }

    /**
     * Starts delivering: alone (SQLite) every endpoint; in a cluster the endpoints rendezvous hashing gives this
     * instance, woken also by the events the other instances write (NOTIFY).
     */
    static Outbound start(ServiceSettings settings, LockStore store, CredentialCipher cipher, SyncEngine engine, SyncMetrics metrics,
            ClusterMember member, Clock clock) {
        EndpointPlacement placement = member == null ? EndpointPlacement.alone()
                : EndpointPlacement.rendezvous(member::owner, () -> member.view().instances().stream().filter(ClusterView.Peer::alive)
                        .map(ClusterView.Peer::id).toList());
        Outbound outbound = Outbound.start(settings.outbound(), store.webhooks(), cipher, engine, metrics.registry(), placement, clock,
                new SecureRandom(), store::lastEventId);
        if (member != null) {
            try {
                store.listen(id -> outbound.wake()); // closed with the store
            } catch (RuntimeException e) {
                outbound.close();
                throw e;
            }
        }
        return outbound;
    }

    /** Deletes the deliveries that ended (delivered or failed) before {@code cutoff}, with their attempts. */
    static void prune(LockStore store, Instant cutoff) {
        try {
            int pruned = store.webhooks().pruneFinishedBefore(cutoff);
            if (pruned > 0) {
                LOG.info("pruned {} finished webhook delivery(ies) older than {}", pruned, cutoff);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not prune finished webhook deliveries: {}", e.getMessage());
        }
    }
}
