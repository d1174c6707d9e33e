package io.tedeesync.http;

import io.tedeesync.sync.EngineSnapshot;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet the lock routes show: every lock of this instance's engine and, with several instances, those
 * of the other instances' accounts from the store, each as its view. The list, its pages and the summary
 * all read this one set, so that they count the same locks. Thread-safe (it reads the engine and the store).
 */
final class LockViews {
    private final SyncEngine engine;
    private final java.time.Clock clock;
    private final boolean showAccount;
    /** With several instances; null for one. */
    private final LockRoutes.Cluster cluster;

    LockViews(SyncEngine engine, java.time.Clock clock, boolean showAccount, LockRoutes.Cluster cluster) {
        this.engine = engine;
        this.clock = clock;
        this.showAccount = showAccount;
        this.cluster = cluster;
    }

    /**
     * Every lock of the fleet, as of now, in no particular order. This instance's accounts and their locks come
     * from one engine snapshot, so that an account added meanwhile is either wholly there or not at all (a page
     * would take a lock missing for one request for a removed one).
     *
     * @throws io.tedeesync.store.StoreException with several instances, when the store cannot be read
     */
    List<LockRow> all() {
        EngineSnapshot snapshot = engine.snapshot();
        List<LockRow> rows = new ArrayList<>(snapshot.locks().size());
        for (MirroredLock lock : snapshot.locks()) {
            rows.add(new LockRow(lock.account(), LockJson.of(lock, snapshot.isStale(lock), showAccount)));
        }
        if (cluster != null) { // this instance's own accounts from its engine (fresher), the others' from the store
            Set<String> here = new HashSet<>();
            snapshot.accounts().forEach(account -> here.add(account.name()));
            Set<String> running = cluster.routing().accounts();
            cluster.store().loadLocks().forEach((account, stored) -> {
                if (!here.contains(account) && running.contains(account)) {
                    // Another instance's lock: as fresh as its copy in the store, by the service's staleness threshold.
                    stored.forEach(lock -> rows.add(new LockRow(account, LockJson.of(lock, lock.isStale(snapshot.at(), cluster.staleAfter()),
                            showAccount))));
                }
            });
        }
        return rows;
    }

    /** The lock with this serial number: this engine's copy, else (several instances) the store's of a running account. */
    Optional<MirroredLock> lock(String serialNumber) {
        Optional<MirroredLock> lock = engine.lock(serialNumber);
        if (lock.isEmpty() && cluster != null) {
            lock = cluster.routing().copyOf(serialNumber);
        }
        return lock;
    }

    LockJson view(MirroredLock lock) {
        return view(lock, clock.instant());
    }

    private LockJson view(MirroredLock lock, Instant now) {
        boolean local = cluster == null || engine.account(lock.account()).isPresent();
        // Another instance's lock: as fresh as its copy in the store, by the service's staleness threshold.
        boolean stale = local ? engine.isStale(lock, now) : lock.isStale(now, cluster.staleAfter());
        return LockJson.of(lock, stale, showAccount);
    }
}
