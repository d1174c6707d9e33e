package io.tedeesync.cluster;

import io.tedeesync.store.ClusterInstance;
import io.tedeesync.store.ClusterStore;
import io.tedeesync.store.Fence;
import io.tedeesync.store.Lease;
import io.tedeesync.store.LeaseRow;
import io.tedeesync.store.LockStore;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.CallHistory;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's part in a cluster of instances on one PostgreSQL database: it owns the accounts whose
 * leases it holds, and only those run in its engine.
 *
 * <p>Every heartbeat (one thread, "tedee-sync-cluster") it renews all its leases in one statement, drops
 * from the engine every account whose lease it lost (taken over while it was paused or cut off), reads the
 * live instances and every lease, and moves accounts towards the even {@link Assignment}: it hands over
 * those planned for another live instance (the engine stops the account, then the lease is released with
 * its {@link CallHistory}, so the next owner keeps the 10 s floor and the budget) and takes the free or
 * expired ones planned for it. Every fifth heartbeat it stores its accounts' histories, for a takeover
 * after a crash.
 *
 * <p>It is the store's {@link Fence} (a batch is written only under the lease it was made under) and the
 * engine's call permit ({@link #mayCall}): an account calls Tedee only while its lease is valid by this
 * instance's own reckoning, counted from when the renewal was sent, so never past the time the database
 * lets another instance take it. Thread-safe.
 */
public final class ClusterMember implements Fence, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    /** The engine's wait for an account's last changes, and a margin. */
    private static final Duration HAND_OVER_WAIT = Duration.ofSeconds(15);
    /** Leases count as ending this much earlier here than in the database: the renewal's own trip. */
    private static final Duration MARGIN = Duration.ofSeconds(1);
    /** How long an account this instance could not open is left to the others before it tries again. */
    private static final Duration REFUSED_RETRY = Duration.ofMinutes(1);
    /** Histories are stored every this many heartbeats. */
    private static final int HISTORY_EVERY = 5;

    /** The accounts this instance can run: declared at start or stored by the accounts API. */
    public interface Accounts {
        /** The engine's account, with credentials as stored now; empty when this instance cannot run it. */
        Optional<AccountConfig> open(String account);

        /** The account stopped running here (handed over, lost or removed): forget what {@link #open} made for it. */
        void closed(String account);

        /** The status to show for the account on the other instances (JSON, opaque to the store), or null. */
        String statusJson(String account);
    }

    private static final class Held {
        final long token;
        volatile long validUntil;
        volatile boolean leaving;

        Held(long token, long validUntil) {
            this.token = token;
            this.validUntil = validUntil;
        }
    }

    private final ClusterStore cluster;
    private final LockStore store;
    private final ClusterSettings settings;
    private final Clock clock;
    private volatile String id;
    private volatile URI url;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    private volatile SyncEngine engine;
    private volatile Accounts accounts;
    private volatile ClusterView view = new ClusterView("unstarted", "unstarted", null, List.of(), List.of());
    /** Every account of the cluster (a lease row), as of the last heartbeat, less those removed here since. */
    private volatile Set<String> clusterAccounts = Set.of();
    /** Accounts this instance could not open, by when it tries again: it does not take them meanwhile. */
    private final Map<String, Long> refused = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private int beats;
    private volatile long takeovers;
    private volatile long lost;

    public ClusterMember(ClusterStore cluster, LockStore store, ClusterSettings settings, Clock clock) {
        this.cluster = cluster;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.id = "unstarted";
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "tedee-sync-cluster");
            named.setDaemon(true);
            return named;
        });
    }

    /**
     * Joins: registers this instance, makes lease rows for the accounts it knows, and from one heartbeat on
     * (so that instances started together see each other before they share out) takes its share.
     */
    /**
     * @param name    this instance's name (the settings' or the service's default)
     * @param address where the others reach this instance (the settings' or the service's default)
     */
    public void start(SyncEngine syncEngine, Accounts runnable, Collection<String> known, String name, URI address) {
        this.engine = syncEngine;
        this.accounts = runnable;
        this.url = address;
        this.id = name + "/" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
        this.view = new ClusterView(id, name, address, List.of(), List.of());
        cluster.join(id, address.toString());
        cluster.addAccounts(known);
        long period = settings.heartbeat().toMillis();
        boolean alone = cluster.instances(settings.leaseTtl()).stream().filter(ClusterInstance::alive).allMatch(other -> other.id().equals(id));
        if (alone) {
            beat(); // nobody to share with: run everything from the start, as a single instance would
        }
        // Otherwise the first share-out waits a heartbeat, so that instances started together see each other first.
        thread.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        LOG.info("cluster: joined as {} ({}){}; heartbeat every {} s, leases of {} s", id, address,
                alone ? ", the only live instance" : "", settings.heartbeat().toSeconds(), settings.leaseTtl().toSeconds());
    }

    /** The lease owner id of this instance, unique to this start. */
    @Override
    public String owner() {
        return id;
    }

    @Override
    public OptionalLong token(String account) {
        Held lease = held.get(account);
        return lease == null ? OptionalLong.empty() : OptionalLong.of(lease.token);
    }

    /** Whether the account may call Tedee now: its lease is held and valid by this instance's reckoning. */
    public boolean mayCall(String account) {
        Held lease = held.get(account);
        return lease != null && clock.millis() < lease.validUntil;
    }

    /** Whether this instance owns the account now. */
    public boolean owns(String account) {
        return held.containsKey(account);
    }

    /**
     * Runs an account added at runtime here, at once: its lease row is made and taken (it is new, so free),
     * then it starts in the engine. Balancing may hand it over later, like any other.
     *
     * @throws IllegalStateException when another instance holds it already
     */
    public void adopt(AccountConfig config, List<MirroredLock> seed) {
        cluster.addAccounts(List.of(config.name()));
        long sent = clock.millis();
        Lease lease = cluster.acquire(config.name(), id, settings.leaseTtl())
                .orElseThrow(() -> new IllegalStateException("account " + config.name() + " is held by another instance"));
        held.put(config.name(), new Held(lease.fencing(), sent + validity()));
        try {
            engine.addAccount(config, seed, lease.history());
        } catch (RuntimeException e) {
            held.remove(config.name());
            cluster.release(config.name(), id, lease.fencing(), lease.history());
            throw e;
        }
    }

    /** The account was removed at runtime (its engine part is stopped): its lease row goes too. */
    public void forget(String account) {
        held.remove(account);
        refused.remove(account);
        cluster.removeAccount(account);
        Set<String> without = new java.util.HashSet<>(clusterAccounts);
        without.remove(account);
        clusterAccounts = Set.copyOf(without);
    }

    /**
     * What the owners of the accounts this instance does not own last said of them (the accounts API's JSON of
     * each, stored with its history every fifth heartbeat), by account; only accounts of the cluster.
     */
    public Map<String, String> othersStatuses() {
        Set<String> accounts = clusterAccounts;
        Map<String, String> others = new java.util.TreeMap<>();
        cluster.statuses().forEach((account, json) -> {
            if (!held.containsKey(account) && accounts.contains(account)) {
                others.put(account, json);
            }
        });
        return others;
    }

    /** The cluster's accounts (those with a lease row), as of the last heartbeat: whose locks every instance serves. */
    public Set<String> accounts() {
        return clusterAccounts;
    }

    /** Whether this instance could not open the account lately (its row does not open here, or it is not declared here). */
    public boolean cannotRun(String account) {
        return refused.containsKey(account);
    }

    /** Whether the account is one of the cluster's (it has a lease row), asked of the database. */
    public boolean knows(String account) {
        return held.containsKey(account) || cluster.hasAccount(account);
    }

    /** Where the account's owner is, when another live instance owns it. */
    public Optional<URI> ownerElsewhere(String account) {
        if (held.containsKey(account)) {
            return Optional.empty();
        }
        return cluster.ownerUrl(account).map(URI::create).filter(owner -> !owner.equals(url));
    }

    /** What this instance owns and which instances are alive, as of the last heartbeat. */
    public ClusterView view() {
        return view;
    }

    /** Takeovers (leases taken from an instance that stopped renewing them) since start. */
    public long takeovers() {
        return takeovers;
    }

    /** Leases lost to another instance since start (this one was paused or cut off past its lease). */
    public long leasesLost() {
        return lost;
    }

    private long validity() {
        return settings.leaseTtl().minus(MARGIN).toMillis();
    }

    private void beat() {
        if (closed) {
            return;
        }
        try {
            long sent = clock.millis();
            Map<String, Long> tokens = new java.util.HashMap<>();
            held.forEach((account, lease) -> tokens.put(account, lease.token));
            Set<String> renewed = cluster.heartbeat(id, settings.leaseTtl(), tokens);
            for (Map.Entry<String, Long> entry : tokens.entrySet()) {
                Held lease = held.get(entry.getKey());
                if (lease == null || lease.token != entry.getValue()) {
                    continue;
                }
                if (renewed.contains(entry.getKey())) {
                    lease.validUntil = sent + validity();
                } else {
                    lose(entry.getKey(), lease);
                }
            }
            List<ClusterInstance> instances = cluster.instances(settings.leaseTtl());
            List<LeaseRow> leases = cluster.leases();
            balance(instances, leases);
            if (++beats % HISTORY_EVERY == 0) {
                saveHistories();
            }
        } catch (RuntimeException e) {
            LOG.warn("cluster: heartbeat failed ({}); accounts stop calling Tedee when their leases end", e.getMessage());
        }
    }

    /** Another instance took the account over (this one was paused or cut off past its lease): stop it here, unwritten. */
    private void lose(String account, Held lease) {
        if (!held.remove(account, lease)) {
            return;
        }
        lost++;
        LOG.warn("cluster: lost the lease of account {} (another instance took it over); stopping it here", account);
        engine.removeAccount(account).whenComplete((ignored, failure) -> accounts.closed(account));
    }

    private void balance(List<ClusterInstance> instances, List<LeaseRow> leases) {
        List<String> alive = instances.stream().filter(ClusterInstance::alive).map(ClusterInstance::id).sorted().toList();
        if (!alive.contains(id)) {
            alive = new ArrayList<>(alive);
            ((List<String>) alive).add(id); // our own heartbeat just went in: the read may have raced it
            ((List<String>) alive).sort(null);
        }
        List<String> names = leases.stream().map(LeaseRow::account).toList();
        clusterAccounts = Set.copyOf(names);
        Map<String, String> plan = Assignment.plan(names, alive);
        Set<String> aliveSet = Set.copyOf(alive);
        int handOvers = 0;
        int limit = Math.max(10, held.size() / 5); // a join moves a fifth per heartbeat at most: no stampede of first lists
        List<String> toTake = new ArrayList<>();
        for (LeaseRow lease : leases) {
            String planned = plan.get(lease.account());
            boolean mine = id.equals(lease.owner()) && !lease.expired();
            if (mine && !id.equals(planned) && aliveSet.contains(planned) && handOvers < limit) {
                Held ours = held.get(lease.account());
                if (ours != null && !ours.leaving) {
                    handOvers++;
                    handOver(lease.account(), ours);
                }
            } else if (id.equals(planned) && !held.containsKey(lease.account()) && (lease.owner() == null || lease.expired())) {
                toTake.add(lease.account());
            }
        }
        take(toTake);
        view = viewOf(instances, leases);
    }

    private void take(List<String> toTake) {
        if (toTake.isEmpty()) {
            return;
        }
        Map<String, List<MirroredLock>> known = toTake.size() > 20 ? store.loadLocks() : null;
        int taken = 0;
        for (String account : toTake) {
            Long retryAt = refused.get(account);
            if (retryAt != null && clock.millis() < retryAt) {
                continue;
            }
            long sent = clock.millis();
            Optional<Lease> lease = cluster.acquire(account, id, settings.leaseTtl());
            if (lease.isEmpty()) {
                continue; // another instance was quicker
            }
            Optional<AccountConfig> config;
            try {
                config = accounts.open(account);
            } catch (RuntimeException e) {
                config = Optional.empty();
                LOG.warn("cluster: cannot open account {}: {}", account, e.getMessage());
            }
            if (config.isEmpty()) {
                if (refused.put(account, clock.millis() + REFUSED_RETRY.toMillis()) == null) {
                    LOG.warn("cluster: account {} cannot run on this instance (not declared here, or its stored row does not open);"
                            + " give every instance the same flags, accounts file and secret key; trying again every {} s", account,
                            REFUSED_RETRY.toSeconds());
                }
                cluster.release(account, id, lease.get().fencing(), lease.get().history());
                continue;
            }
            refused.remove(account);
            held.put(account, new Held(lease.get().fencing(), sent + validity()));
            List<MirroredLock> seed = known != null ? known.getOrDefault(account, List.of()) : store.loadLocks(account);
            try {
                engine.addAccount(config.get(), seed, lease.get().history());
            } catch (RuntimeException e) {
                held.remove(account);
                cluster.release(account, id, lease.get().fencing(), lease.get().history());
                LOG.warn("cluster: could not start account {}: {}", account, e.getMessage());
                continue;
            }
            taken++;
            if (lease.get().tookExpired()) {
                takeovers++;
                LOG.info("cluster: took over account {} from {}, which stopped renewing its lease", account, lease.get().previousOwner());
            }
        }
        if (taken > 0) {
            LOG.info("cluster: now running {} account(s) here ({} taken)", held.size(), taken);
        }
    }

    /** Stops the account here and releases its lease with its history; the planned owner takes it at its next heartbeat. */
    private void handOver(String account, Held lease) {
        lease.leaving = true;
        CompletableFuture<Optional<CallHistory>> stopped = engine.handOverAccount(account);
        stopped.whenComplete((history, failure) -> thread.execute(() -> released(account, lease, history, failure)));
    }

    private void released(String account, Held lease, Optional<CallHistory> history, Throwable failure) {
        if (failure != null) {
            LOG.warn("cluster: account {} handed over before the store wrote its last changes", account);
        }
        try {
            cluster.release(account, id, lease.token, historyOf(history, failure));
        } catch (RuntimeException e) {
            LOG.warn("cluster: could not release account {} ({}); it is taken over when its lease ends", account, e.getMessage());
        } finally {
            held.remove(account, lease);
            accounts.closed(account);
        }
    }

    /** The history a hand-over ended with: also when the store had not taken its last changes in time. */
    private static CallHistory historyOf(Optional<CallHistory> history, Throwable failure) {
        if (history != null) {
            return history.orElse(CallHistory.NONE);
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof io.tedeesync.sync.RemovalTimeoutException timeout ? timeout.history() : CallHistory.NONE;
    }

    private void saveHistories() {
        Map<String, io.tedeesync.store.FencedHistory> histories = new java.util.HashMap<>();
        held.forEach((account, lease) -> engine.callHistory(account).ifPresent(history ->
                histories.put(account, new io.tedeesync.store.FencedHistory(lease.token, history, accounts.statusJson(account)))));
        if (!histories.isEmpty()) {
            cluster.saveHistories(id, histories);
        }
    }

    private ClusterView viewOf(List<ClusterInstance> instances, List<LeaseRow> leases) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (LeaseRow lease : leases) {
            if (lease.owner() != null && !lease.expired()) {
                counts.merge(lease.owner(), 1, Integer::sum);
            }
        }
        List<ClusterView.Peer> peers = instances.stream()
                .map(instance -> new ClusterView.Peer(instance.id(), instance.url(), instance.alive(), counts.getOrDefault(instance.id(), 0)))
                .toList();
        List<String> owned = held.keySet().stream().sorted().toList();
        return new ClusterView(id, view.name(), url, owned, peers);
    }

    /**
     * Leaves the cluster: hands every account over (each stopped in the engine, then released with its
     * history, so the others take them at once instead of after the lease), then removes this instance.
     */
    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SyncEngine running = engine;
        if (running == null) {
            return;
        }
        List<CompletableFuture<?>> handOvers = new ArrayList<>();
        for (Map.Entry<String, Held> entry : held.entrySet()) {
            String account = entry.getKey();
            Held lease = entry.getValue();
            handOvers.add(running.handOverAccount(account).handle((history, failure) -> {
                try {
                    cluster.release(account, id, lease.token, historyOf(history, failure));
                } catch (RuntimeException e) {
                    LOG.debug("cluster: could not release account {}: {}", account, e.getMessage());
                }
                return null;
            }));
        }
        try {
            CompletableFuture.allOf(handOvers.toArray(CompletableFuture[]::new)).get(HAND_OVER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("cluster: not every account was handed over in time; the others take them over when their leases end");
        }
        held.clear();
        try {
            cluster.leave(id);
        } catch (RuntimeException e) {
            LOG.debug("cluster: could not leave: {}", e.getMessage());
        }
        LOG.info("cluster: left ({} handed over)", handOvers.size());
    }
}
