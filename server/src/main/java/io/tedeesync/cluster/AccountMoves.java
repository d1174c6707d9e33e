package io.tedeesync.cluster;

import io.tedeesync.store.ClusterStore;
import io.tedeesync.store.Lease;
import io.tedeesync.store.LockStore;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.CallHistory;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.RemovalTimeoutException;
import io.tedeesync.sync.SyncEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How accounts come to this instance and leave it: taken (leases in batches of one statement each, then
 * opened, seeded from the store and started in the engine, for at most part of a heartbeat so that the
 * heartbeat keeps every lease renewed) and handed over (stopped in the engine, then released with the
 * history its calls left). Remembers the accounts this instance could not open, and those it took because
 * nobody else did. Thread-safe; takes run on the heartbeat thread.
 */
final class AccountMoves {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    /** Leases taken per statement. */
    private static final int BATCH = 200;
    /** Within a batch, the leases are renewed (when due) after this many starts. */
    private static final int RENEW_EVERY = 50;
    /** How long an account this instance could not open is left to the others before it tries again. */
    private static final Duration REFUSED_RETRY = Duration.ofMinutes(1);

    private final ClusterStore cluster;
    private final LockStore store;
    private final HeldLeases leases;
    private final Duration ttl;
    /** Taking stops after this long in one heartbeat; the rest waits for the next. */
    private final long budgetNanos;
    private final Executor heartbeatThread;
    /** Accounts this instance could not open, by when (nanoTime) it tries again. */
    private final Map<String, Long> refused = new ConcurrentHashMap<>();
    /**
     * Accounts taken because nobody else did, with the instance they were planned for then: not handed back to
     * it (it left them free, most likely because it cannot open them), only to another one the plan names later.
     */
    private final Map<String, String> orphans = new ConcurrentHashMap<>();
    private volatile long takeovers;

    AccountMoves(ClusterStore cluster, LockStore store, HeldLeases leases, ClusterSettings settings, Executor heartbeatThread) {
        this.cluster = cluster;
        this.store = store;
        this.leases = leases;
        this.ttl = settings.leaseTtl();
        this.budgetNanos = settings.heartbeat().toNanos();
        this.heartbeatThread = heartbeatThread;
    }

    /** What a move needs of the instance: its id, engine and accounts, known once it started. */
    record Instance(String id, SyncEngine engine, ClusterMember.Accounts accounts) {
    }

    /**
     * Takes what it can of {@code accounts} (free or expired leases) within the heartbeat's budget.
     *
     * @param plan    the plan: an account it gives another instance is taken as an orphan of that instance
     * @param renewIfDue renews the leases held when a heartbeat passed since the last renewal: called between batches
     * @return how many were taken and started
     */
    int take(Instance instance, List<String> accounts, Map<String, String> plan, Runnable renewIfDue) {
        long started = leases.now();
        List<String> wanted = new ArrayList<>();
        for (String account : accounts) {
            Long retryAt = refused.get(account);
            if (retryAt == null || leases.now() - retryAt >= 0) {
                wanted.add(account);
            }
        }
        int taken = 0;
        for (int from = 0; from < wanted.size() && leases.now() - started < budgetNanos; from += BATCH) {
            renewIfDue.run();
            List<String> batch = wanted.subList(from, Math.min(wanted.size(), from + BATCH));
            HeldLeases.Sent sent = leases.sent();
            Map<String, Lease> got = cluster.acquireAll(batch, instance.id(), ttl);
            if (got.isEmpty()) {
                continue;
            }
            List<Lease> waiting = new ArrayList<>(got.values());
            try {
                // The seeds are read once the leases are taken: a previous owner can write nothing after that.
                Map<String, List<MirroredLock>> seeds = store.loadLocks(got.keySet());
                int starts = 0;
                while (!waiting.isEmpty()) {
                    Lease lease = waiting.remove(waiting.size() - 1);
                    if (start(instance, lease, seeds.getOrDefault(lease.account(), List.of()), sent, plan.get(lease.account()))) {
                        taken++;
                    }
                    if (++starts % RENEW_EVERY == 0) {
                        renewIfDue.run(); // a slow machine must not let the leases held (these too) lapse while it starts them
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("cluster: could not start {} account(s) just taken ({}); giving them back", waiting.size(), e.getMessage());
                for (Lease lease : waiting) {
                    releaseQuietly(instance, lease);
                }
            }
        }
        renewIfDue.run();
        if (taken > 0) {
            LOG.info("cluster: now running {} account(s) here ({} taken)", leases.size(), taken);
        }
        return taken;
    }

    /** @param plannedFor the instance the plan gives the account */
    private boolean start(Instance instance, Lease lease, List<MirroredLock> seed, HeldLeases.Sent sent, String plannedFor) {
        String account = lease.account();
        Optional<AccountConfig> config;
        try {
            config = instance.accounts().open(account);
        } catch (io.tedeesync.store.StoreException e) {
            // The store's trouble, not the account's: given back, and tried again at the next heartbeat.
            LOG.warn("cluster: could not open account {} ({}); trying again", account, e.getMessage());
            cluster.release(account, instance.id(), lease.fencing(), lease.history());
            return false;
        } catch (RuntimeException e) {
            LOG.warn("cluster: cannot open account {}: {}", account, e.getMessage());
            config = Optional.empty();
        }
        if (config.isEmpty()) {
            refuse(account);
            cluster.release(account, instance.id(), lease.fencing(), lease.history());
            return false;
        }
        refused.remove(account);
        HeldLeases.Held held = leases.put(account, lease.fencing(), sent);
        try {
            instance.engine().addAccount(config.get(), seed, lease.history());
        } catch (RuntimeException e) {
            leases.remove(account, held);
            cluster.release(account, instance.id(), lease.fencing(), lease.history());
            instance.accounts().closed(account);
            LOG.warn("cluster: could not start account {}: {}", account, e.getMessage());
            return false;
        }
        if (plannedFor != null && !plannedFor.equals(instance.id())) {
            orphans.put(account, plannedFor);
        }
        if (lease.tookExpired() && !instance.id().equals(lease.previousOwner())) {
            takeovers++;
            LOG.info("cluster: took over account {} from {}, which stopped renewing its lease", account, lease.previousOwner());
        }
        return true;
    }

    private void releaseQuietly(Instance instance, Lease lease) {
        try {
            cluster.release(lease.account(), instance.id(), lease.fencing(), lease.history());
        } catch (RuntimeException e) {
            LOG.debug("cluster: could not give back account {}: {}", lease.account(), e.getMessage());
        }
    }

    private void refuse(String account) {
        if (refused.put(account, leases.now() + REFUSED_RETRY.toNanos()) == null) {
            LOG.warn("cluster: account {} cannot run on this instance (not declared here, or its stored row does not open);"
                    + " the others may take it; give every instance the same flags, accounts file and secret key", account);
        }
    }

    /**
     * Stops the account here and releases its lease with its history; the planned owner takes it at its next
     * heartbeat. The lease stays held (and renewed) until then.
     *
     * @return completes once the lease is released (or given up)
     */
    CompletableFuture<Void> handOver(Instance instance, String account, HeldLeases.Held lease) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lease.leaving = done;
        CompletableFuture<Optional<CallHistory>> stopped;
        try {
            stopped = instance.engine().handOverAccount(account);
        } catch (RuntimeException e) {
            lease.leaving = null; // not handed over: it runs on here
            done.complete(null);
            LOG.warn("cluster: could not hand over account {}: {}", account, e.getMessage());
            return done;
        }
        stopped.whenComplete((history, failure) -> {
            try {
                heartbeatThread.execute(() -> released(instance, account, lease, history, failure, done));
            } catch (RejectedExecutionException stopping) {
                released(instance, account, lease, history, failure, done);
            }
        });
        return done;
    }

    private void released(Instance instance, String account, HeldLeases.Held lease, Optional<CallHistory> history, Throwable failure,
            CompletableFuture<Void> done) {
        try {
            Optional<CallHistory> last = historyOf(history, failure);
            if (failure != null) {
                LOG.warn("cluster: account {} handed over before the store wrote its last changes", account);
            }
            if (last.isPresent()) {
                cluster.release(account, instance.id(), lease.token, last.get());
            } // else the engine did not have it: the lease ends by itself, and its next owner counts from its end
        } catch (RuntimeException e) {
            LOG.warn("cluster: could not release account {} ({}); it is taken over when its lease ends", account, e.getMessage());
        } finally {
            leases.remove(account, lease);
            orphans.remove(account);
            closedUnlessTakenAgain(instance, account);
            done.complete(null);
        }
    }

    /** Tells the accounts it stopped here, unless it was taken again meanwhile (then it runs again). */
    void closedUnlessTakenAgain(Instance instance, String account) {
        if (!leases.holds(account)) {
            instance.accounts().closed(account);
        }
    }

    /** The history a hand-over ended with, also when the store had not taken its last changes in time; empty if unknown. */
    private static Optional<CallHistory> historyOf(Optional<CallHistory> history, Throwable failure) {
        if (history != null) {
            return history;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof RemovalTimeoutException timeout ? Optional.of(timeout.history()) : Optional.empty();
    }

    /** Whether the account was taken because {@code planned}, which the plan still names, left it free. */
    boolean isOrphan(String account, String planned) {
        return planned != null && planned.equals(orphans.get(account));
    }

    /** Whether this instance could not open the account lately (within the minute it leaves it to the others). */
    boolean cannotRun(String account) {
        Long retryAt = refused.get(account);
        return retryAt != null && leases.now() - retryAt < 0;
    }

    /** The account is gone from here (lost, or removed at runtime): nothing is remembered of it. */
    void forget(String account) {
        refused.remove(account);
        orphans.remove(account);
    }

    long takeovers() {
        return takeovers;
    }
}
