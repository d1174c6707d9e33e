package io.tedeesync.sync.internal;

import io.tedeesync.sync.MirroredLock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which accounts mirror a serial number or a device id, for every account of the engine: so finding a
 * lock or routing a webhook costs a lookup, not a pass over 10,000 accounts. Each account replaces its
 * own entries whenever its list changes, and a removed account's leave with it. Thread-safe.
 */
public final class LockDirectory {
    private final Map<String, List<String>> bySerial = new ConcurrentHashMap<>();
    private final Map<Long, List<String>> byId = new ConcurrentHashMap<>();
    /** What each account last said it has, to take it out again. */
    private final Map<String, Map<String, Long>> entries = new HashMap<>();

    /** The accounts that mirror this serial number (usually one; a shared lock, several). */
    public List<String> accountsWithSerial(String serialNumber) {
        return bySerial.getOrDefault(serialNumber, List.of());
    }

    /** The accounts that mirror this device id. */
    public List<String> accountsWithDevice(long id) {
        return byId.getOrDefault(id, List.of());
    }

    /** The account's locks are now these. */
    public synchronized void update(String account, Collection<MirroredLock> locks) {
        Map<String, Long> now = new HashMap<>();
        for (MirroredLock lock : locks) {
            now.put(lock.serialNumber(), lock.id());
        }
        Map<String, Long> before = entries.getOrDefault(account, Map.of());
        if (before.equals(now)) {
            return;
        }
        Set<Long> idsNow = new HashSet<>(now.values());
        // Additions first, then only what is gone: a reader never misses a lock that stays.
        now.forEach((serial, id) -> {
            if (!id.equals(before.get(serial))) {
                add(bySerial, serial, account);
                add(byId, id, account);
            }
        });
        before.forEach((serial, id) -> {
            Long current = now.get(serial);
            if (current == null) {
                remove(bySerial, serial, account);
            }
            if (!idsNow.contains(id)) {
                remove(byId, id, account);
            }
        });
        entries.put(account, now);
    }

    /** The account is gone: every entry of it leaves. */
    public synchronized void remove(String account) {
        update(account, List.of());
        entries.remove(account);
    }

    private static <K> void add(Map<K, List<String>> index, K key, String account) {
        index.compute(key, (k, accounts) -> {
            if (accounts == null) {
                return List.of(account);
            }
            Set<String> merged = new HashSet<>(accounts);
            if (!merged.add(account)) {
                return accounts;
            }
            List<String> grown = new ArrayList<>(accounts);
            grown.add(account);
            return List.copyOf(grown);
        });
    }

    private static <K> void remove(Map<K, List<String>> index, K key, String account) {
        index.computeIfPresent(key, (k, accounts) -> {
            List<String> rest = new ArrayList<>(accounts);
            rest.remove(account);
            return rest.isEmpty() ? null : List.copyOf(rest);
        });
    }
}
