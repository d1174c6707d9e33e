package io.tedeesync.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which live instance should own which account: rendezvous hashing with bounded loads. Each account ranks
 * the instances by a hash of (account, instance) and goes to the first in its ranking that has fewer than
 * {@code ceil(accounts / instances)}; accounts are placed in name order. Every instance computes the same
 * plan from the same accounts and instances, no instance gets more than its even share, and when an
 * instance joins or leaves mostly the accounts that must move do. Pure; thread-safe.
 */
final class Assignment {
    private Assignment() {
    }

    /** Account to instance, for every account; empty when there is no instance. */
    static Map<String, String> plan(List<String> accounts, List<String> instances) {
        Map<String, String> plan = new HashMap<>(accounts.size() * 2);
        if (instances.isEmpty()) {
            return plan;
        }
        int share = (accounts.size() + instances.size() - 1) / instances.size();
        Map<String, Integer> load = new HashMap<>();
        List<String> ordered = new ArrayList<>(accounts);
        ordered.sort(Comparator.naturalOrder());
        long[] instanceHashes = new long[instances.size()];
        for (int i = 0; i < instances.size(); i++) {
            instanceHashes[i] = hash(instances.get(i));
        }
        Integer[] ranking = new Integer[instances.size()];
        long[] scores = new long[instances.size()];
        for (String account : ordered) {
            long accountHash = hash(account);
            for (int i = 0; i < ranking.length; i++) {
                ranking[i] = i;
                scores[i] = mix(accountHash ^ instanceHashes[i]);
            }
            java.util.Arrays.sort(ranking, (a, b) -> Long.compareUnsigned(scores[b], scores[a]));
            for (Integer candidate : ranking) {
                String instance = instances.get(candidate);
                if (load.getOrDefault(instance, 0) < share) {
                    load.merge(instance, 1, Integer::sum);
                    plan.put(account, instance);
                    break;
                }
            }
        }
        return plan;
    }

    /** FNV-1a over the UTF-8 bytes, then mixed: stable across JVMs, unlike {@link String#hashCode} spreads. */
    private static long hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return mix(hash);
    }

    /** SplitMix64's finaliser: every input bit moves every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
