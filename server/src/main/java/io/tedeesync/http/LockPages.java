package io.tedeesync.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
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
 * use; at most {@link #MAX_SNAPSHOTS} are kept, and at most {@link #MAX_KEPT_BYTES} of them in all, by an
 * estimate of what they hold (the least recently used go first; the newest is always kept). Thread-safe.
 */
final class LockPages {
    static final int MAX_SNAPSHOTS = 256;
    static final Duration IDLE = Duration.ofMinutes(10);
    /**
     * Beyond the 256 snapshots, a bound on their memory: anyone with the read token can make 256 first pages of
     * the whole fleet. A lock in a snapshot costs some 60 to 80 bytes by {@link Snapshot#bytes()} (its serial
     * number counted as if the snapshot had its own copy: another instance's locks come from the store, in new
     * strings each time), so 64 MB hold about a million locks: 200 snapshots of a 5,000-lock fleet. A fleet too big
     * for the bound keeps its newest snapshot only.
     */
    static final long MAX_KEPT_BYTES = 64L * 1024 * 1024;

    private final Clock clock;
    private final int maxSnapshots;
    private final long maxKeptBytes;
    /** By id, least recently used first. */
    private final LinkedHashMap<String, Kept> snapshots = new LinkedHashMap<>(16, 0.75f, true);
    private long keptBytes;

    /**
     * One snapshot: its id, the selection it was made for, and its locks in order, stored compactly (each lock's
     * serial number and the index of its account among the snapshot's few accounts). Immutable.
     */
    static final class Snapshot {
        /** What an object, a map entry and the arrays' headers cost, whatever the size. */
        private static final long OVERHEAD = 200;

        private final String id;
        private final LockQuery.Selection selection;
        private final String[] accounts;
        private final int[] accountOf;
        private final String[] serials;
        private final long bytes;

        private Snapshot(String id, LockQuery.Selection selection, List<LockRow.Key> keys) {
            this.id = id;
            this.selection = selection;
            Map<String, Integer> indexOf = new HashMap<>();
            this.accountOf = new int[keys.size()];
            this.serials = new String[keys.size()];
            long size = OVERHEAD;
            for (int i = 0; i < keys.size(); i++) {
                LockRow.Key key = keys.get(i);
                Integer index = indexOf.get(key.account());
                if (index == null) {
                    index = indexOf.size();
                    indexOf.put(key.account(), index);
                    size += stringBytes(key.account()) + 48; // and its place in the index map while making
                }
                accountOf[i] = index;
                serials[i] = key.serialNumber();
                size += 8 + stringBytes(key.serialNumber()); // a reference and an int, and the string
            }
            this.accounts = new String[indexOf.size()];
            indexOf.forEach((account, index) -> accounts[index] = account);
            this.bytes = size;
        }

        String id() {
            return id;
        }

        LockQuery.Selection selection() {
            return selection;
        }

        int size() {
            return serials.length;
        }

        /** The lock at this position (0-based). */
        LockRow.Key key(int position) {
            return new LockRow.Key(accounts[accountOf[position]], serials[position]);
        }

        /** An estimate of the heap this snapshot holds, in bytes: what the bound counts. */
        long bytes() {
            return bytes;
        }

        /** Whether this is the snapshot of exactly these locks for this selection. */
        private boolean holds(Snapshot other) {
            if (!selection.equals(other.selection) || serials.length != other.serials.length || !Arrays.equals(serials, other.serials)) {
                return false;
            }
            for (int i = 0; i < serials.length; i++) {
                if (!accounts[accountOf[i]].equals(other.accounts[other.accountOf[i]])) {
                    return false;
                }
            }
            return true;
        }

        /** A string's heap: the object, its byte array's header, one byte a character (two beyond Latin-1), 8-aligned. */
        private static long stringBytes(String value) {
            boolean latin1 = value.chars().allMatch(c -> c < 256);
            long content = (long) value.length() * (latin1 ? 1 : 2);
            return 24 + ((16 + content + 7) / 8) * 8;
        }
    }

    private record Kept(Snapshot snapshot, Instant lastUsed) {
    }

    LockPages(Clock clock) {
        this(clock, MAX_SNAPSHOTS, MAX_KEPT_BYTES);
    }

    LockPages(Clock clock, int maxSnapshots, long maxKeptBytes) {
        this.clock = clock;
        this.maxSnapshots = maxSnapshots;
        this.maxKeptBytes = maxKeptBytes;
    }

    /** The snapshot of these locks for this selection: the one kept already if the same, else a new one. */
    Snapshot keep(LockQuery.Selection selection, List<LockRow.Key> keys) {
        // The hash and the copy cost what the fleet's size does: made before taking the monitor, which every page waits for.
        Snapshot made = new Snapshot(idOf(selection, keys), selection, keys);
        synchronized (this) {
            Instant now = clock.instant();
            dropIdle(now);
            Kept kept = snapshots.get(made.id());
            Snapshot snapshot = kept != null && kept.snapshot().holds(made) ? kept.snapshot() : made;
            Kept previous = snapshots.put(made.id(), new Kept(snapshot, now));
            keptBytes += snapshot.bytes() - (previous == null ? 0 : previous.snapshot().bytes());
            dropBeyondBounds();
            return snapshot;
        }
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

    private void dropIdle(Instant now) {
        Iterator<Map.Entry<String, Kept>> oldestFirst = snapshots.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Kept kept = oldestFirst.next().getValue();
            if (Duration.between(kept.lastUsed(), now).compareTo(IDLE) <= 0) {
                return; // the rest were used later
            }
            oldestFirst.remove();
            keptBytes -= kept.snapshot().bytes();
        }
    }

    private void dropBeyondBounds() {
        Iterator<Map.Entry<String, Kept>> oldestFirst = snapshots.entrySet().iterator();
        while (snapshots.size() > 1 && (snapshots.size() > maxSnapshots || keptBytes > maxKeptBytes)) {
            Kept kept = oldestFirst.next().getValue();
            oldestFirst.remove();
            keptBytes -= kept.snapshot().bytes();
        }
    }

    /** The first 96 bits of a SHA-256 of the selection and the keys, base64url: the same list gets the same id. */
    private static String idOf(LockQuery.Selection selection, List<LockRow.Key> keys) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(selection.toString().getBytes(StandardCharsets.UTF_8)); // a record's text: its values, in order
            for (LockRow.Key key : keys) {
                digest.update((byte) 0);
                digest.update(key.account().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 1);
                digest.update(key.serialNumber().getBytes(StandardCharsets.UTF_8));
            }
            byte[] hash = digest.digest();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
