package io.tedeesync.outbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which instance delivers an endpoint's webhooks. Alone (SQLite) this one delivers all; in a cluster, the live
 * instance that rendezvous hashing over (instance id, endpoint id) ranks first, so every instance computes
 * the same owner from the same list, and only the endpoints of an instance that joins or leaves move. An instance
 * delivers nothing until the live list names it (it has joined and its heartbeat has seen itself): before that it
 * would count as alone and deliver everything the others deliver.
 * Two instances that briefly disagree (one has not seen the other leave) may both send: deliveries are
 * at-least-once anyway. Thread-safe.
 */
public final class EndpointPlacement {
    private final Supplier<String> self;
    private final Supplier<? extends Collection<String>> live;

    private EndpointPlacement(Supplier<String> self, Supplier<? extends Collection<String>> live) {
        this.self = self;
        this.live = live;
    }

    /** One instance: delivers every endpoint. */
    public static EndpointPlacement alone() {
        return new EndpointPlacement(null, null);
    }

    /** Among the instances {@code live} names; nothing while the list does not name this one, {@code self}. */
    public static EndpointPlacement rendezvous(Supplier<String> self, Supplier<? extends Collection<String>> live) {
        return new EndpointPlacement(self, live);
    }

    /** Whether this instance delivers {@code endpointId}. */
    public boolean deliversHere(String endpointId) {
        if (self == null) {
            return true;
        }
        String me = self.get();
        Set<String> instances = new LinkedHashSet<>(live.get());
        return instances.contains(me) && me.equals(pick(endpointId, instances));
    }

    /** The instance that ranks first for {@code endpointId} (the highest hash; ties by id), or null for none. */
    static String pick(String endpointId, Collection<String> instances) {
        String best = null;
        long bestScore = 0;
        for (String instance : instances) {
            long score = score(instance, endpointId);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0 || score == bestScore && instance.compareTo(best) < 0) {
                best = instance;
                bestScore = score;
            }
        }
        return best;
    }

    private static long score(String instance, String endpointId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((instance + "\n" + endpointId).getBytes(StandardCharsets.UTF_8));
            long score = 0;
            for (int i = 0; i < 8; i++) {
                score = score << 8 | (hash[i] & 0xff);
            }
            return score;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
