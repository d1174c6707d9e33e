package io.tedeesync.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The page snapshots of {@code GET /api/locks}: the ordered list of the locks that matched a first page,
 * kept in memory so that the next pages go on through the same list whatever changes meanwhile (no lock
 * skipped, none repeated). A snapshot is named by a hash of what it holds, so asking the same first page
 * again (a poller) finds the snapshot it made before instead of making another, and its answer stays the
 * same bytes (the same {@code nextCursor}, the same ETag). A snapshot is kept {@link #IDLE} after its last
 * use; at most {@link #MAX_SNAPSHOTS} are kept, and at most {@link #MAX_KEPT_LOCKS} locks in all (the least
 * recently used go first; the newest is always kept). Thread-safe.
 */
final class LockPages {
    static final int MAX_SNAPSHOTS = 256;
    static final Duration IDLE = Duration.ofMinutes(10);
    /**
     * Beyond the 256 snapshots, a bound on their size: 256 first pages of 100,000 locks each would hold some
     * 600 MB. Two million keys are some 60 MB; a fleet bigger than that keeps its newest snapshot only.
     */
    static final int MAX_KEPT_LOCKS = 2_000_000;

    private final Clock clock;
    private final int maxSnapshots;
    private final int maxKeptLocks;
    /** By id, least recently used first. */
    private final LinkedHashMap<String, Kept> snapshots = new LinkedHashMap<>(16, 0.75f, true);
    private long keptLocks;

    /** One snapshot: its id, the selection it was made for ({@link LockQuery#selection()}), and its locks in order. */
    record Snapshot(String id, String selection, List<LockRow.Key> keys) {
        Snapshot {
            keys = List.copyOf(keys);
        }

        int size() {
            return keys.size();
        }
    }

    private record Kept(Snapshot snapshot, Instant lastUsed) {
    }

    LockPages(Clock clock) {
        this(clock, MAX_SNAPSHOTS, MAX_KEPT_LOCKS);
    }

    LockPages(Clock clock, int maxSnapshots, int maxKeptLocks) {
        this.clock = clock;
        this.maxSnapshots = maxSnapshots;
        this.maxKeptLocks = maxKeptLocks;
    }

    /** The snapshot of these locks for this selection: the one kept already if the same, else a new one. */
    synchronized Snapshot keep(String selection, List<LockRow.Key> keys) {
        Instant now = clock.instant();
        dropIdle(now);
        String id = idOf(selection, keys);
        Kept kept = snapshots.get(id);
        Snapshot snapshot = kept != null && kept.snapshot().selection().equals(selection) && kept.snapshot().keys().equals(keys)
                ? kept.snapshot() : new Snapshot(id, selection, keys);
        Kept previous = snapshots.put(id, new Kept(snapshot, now));
        keptLocks += snapshot.size() - (previous == null ? 0 : previous.snapshot().size());
        dropBeyondBounds();
        return snapshot;
    }

    /** The snapshot with this id, used again now; empty when unknown, dropped, or idle for longer than {@link #IDLE}. */
    synchronized Optional<Snapshot> find(String id) {
        Instant now = clock.instant();
        dropIdle(now);
        Kept kept = snapshots.get(id);
        if (kept == null) {
            return Optional.empty();
        }
        snapshots.put(id, new Kept(kept.snapshot(), now));
        return Optional.of(kept.snapshot());
    }

    /** How many snapshots are kept now (for tests). */
    synchronized int size() {
        return snapshots.size();
    }

    private void dropIdle(Instant now) {
        Iterator<Map.Entry<String, Kept>> oldestFirst = snapshots.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Kept kept = oldestFirst.next().getValue();
            if (Duration.between(kept.lastUsed(), now).compareTo(IDLE) <= 0) {
                return; // the rest were used later
            }
            oldestFirst.remove();
            keptLocks -= kept.snapshot().size();
        }
    }

    private void dropBeyondBounds() {
        Iterator<Map.Entry<String, Kept>> oldestFirst = snapshots.entrySet().iterator();
        while (snapshots.size() > 1 && (snapshots.size() > maxSnapshots || keptLocks > maxKeptLocks)) {
            Kept kept = oldestFirst.next().getValue();
            oldestFirst.remove();
            keptLocks -= kept.snapshot().size();
        }
    }

    /** The first 96 bits of a SHA-256 of the selection and the keys, base64url: the same list gets the same id. */
    private static String idOf(String selection, List<LockRow.Key> keys) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(selection.getBytes(StandardCharsets.UTF_8));
            for (LockRow.Key key : keys) {
                digest.update((byte) 0);
                digest.update(key.account().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 1);
                digest.update(key.serialNumber().getBytes(StandardCharsets.UTF_8));
            }
            byte[] hash = digest.digest();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
