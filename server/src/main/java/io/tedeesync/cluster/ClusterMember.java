package io.tedeesync.cluster;

import io.tedeesync.store.ClusterInstance;
import io.tedeesync.store.ClusterStore;
import io.tedeesync.store.Fence;
import io.tedeesync.store.FencedHistory;
import io.tedeesync.store.Lease;
import io.tedeesync.store.LeaseRow;
import io.tedeesync.store.LockStore;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.CallHistory;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
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
 * expired ones planned for it, and those nobody took for a while (their planned owner cannot open them).
 * Every fifth heartbeat it stores its accounts' histories and statuses, for a takeover after a crash and
 * for the other instances' account lists.
 *
 * <p>It is the store's {@link Fence} (a batch is written only under the lease it was made under) and the
 * engine's call permit ({@link #mayCall}: {@link HeldLeases}). Thread-safe.
 */
public final class ClusterMember implements Fence, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    /** The engine's wait for an account's last changes, and a margin. */
    private static final Duration HAND_OVER_WAIT = Duration.ofSeconds(15);
    /** Leases count as ending this much earlier here than in the database: the renewal's own trip. */
    private static final Duration MARGIN = Duration.ofSeconds(1);
    /** The declared accounts' rows are made again (if missing) every this many heartbeats. */
    private static final int REASSERT_EVERY = 15;
    /** Histories are stored every this many heartbeats. */
    private static final int HISTORY_EVERY = 5;
    /** An account free for this many heartbeats while its planned owner lives is taken by whoever can run it. */
    private static final int ORPHAN_BEATS = 15;

    /** The accounts this instance can run: declared at start or stored by the accounts API. */
    public interface Accounts {
        /** The engine's account, with credentials as stored now; empty when this instance cannot run it. */
        Optional<AccountConfig> open(String account);

        /** The account stopped running here (handed over, lost or removed): forget what {@link #open} made for it. */
        void closed(String account);

        /** The status to show for the account on the other instances (JSON, opaque to the store), or null. */
        String statusJson(String account);

        /** The accounts declared to this instance (flags, accounts file): their lease rows are kept. */
        Collection<String> declared();
    }

    private final ClusterStore cluster;
    private final LockStore store;
    private final ClusterSettings settings;
    private final HeldLeases leases;
    private final AccountMoves moves;
    /** Heartbeats each free account has been seen free while planned for one other instance, by "account planned-owner" (heartbeat thread only). */
    private final Map<String, Integer> freeFor = new HashMap<>();
    private final ScheduledExecutorService thread;
    private volatile String id = "unstarted";
    private volatile URI url;
    private volatile SyncEngine engine;
    private volatile Accounts accounts;
    private volatile ClusterView view = new ClusterView("unstarted", "unstarted", null, List.of(), List.of());
    /** Every account of the cluster (a lease row), as of the last heartbeat, less those removed here since. */
    private volatile Set<String> clusterAccounts = Set.of();
    /** Leaving the cluster: heartbeats only renew, so that the leases outlive their hand-overs. */
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile int beats;
    /** When the last renewal was sent (nanoTime; heartbeat thread only). */
    private long lastRenewal;
    private volatile long lost;

    /**
     * @param nanoTime   a monotonic clock ({@code System::nanoTime})
     * @param wallMillis the wall clock ({@code System::currentTimeMillis}); a lease ends here by the earlier of the two
     */
    public ClusterMember(ClusterStore cluster, LockStore store, ClusterSettings settings, LongSupplier nanoTime, LongSupplier wallMillis) {
        this.cluster = cluster;
        this.store = store;
        this.settings = settings;
        this.leases = new HeldLeases(nanoTime, wallMillis, settings.leaseTtl().minus(MARGIN).toNanos());
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "tedee-sync-cluster");
            named.setDaemon(true);
            return named;
        });
        this.moves = new AccountMoves(cluster, store, leases, settings, thread);
    }

    private AccountMoves.Instance instance() {
        return new AccountMoves.Instance(id, engine, accounts);
    }

    /**
     * Joins: registers this instance, makes lease rows for the accounts it knows, and takes its share: at
     * once when it is alone (it runs everything from the start, as a single instance would), else from the
     * next heartbeat, so that instances started together see each other before they share out.
     *
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
        clusterAccounts = Set.copyOf(cluster.leases().stream().map(LeaseRow::account).toList()); // before the first heartbeat
        boolean alone = cluster.instances(settings.leaseTtl()).stream().filter(ClusterInstance::alive)
                .allMatch(other -> other.id().equals(id));
        if (alone) {
            beat();
        }
        long period = settings.heartbeat().toMillis();
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
        return leases.token(account);
    }

    /** Whether the account may call Tedee now: its lease is held and valid by this instance's reckoning. */
    public boolean mayCall(String account) {
        return leases.mayCall(account);
    }

    /** Whether this instance holds the account's lease (it may be handing it over, or not have started it yet). */
    public boolean owns(String account) {
        return leases.holds(account);
    }

    /** Whether the account runs here now: its lease is held, no hand-over is on its way, and the engine has it. */
    public boolean runsHere(String account) {
        HeldLeases.Held lease = leases.get(account);
        return lease != null && lease.leaving == null && engine.account(account).isPresent();
    }

    /**
     * Runs an account added at runtime here, at once: its lease row is made already taken, in one
     * transaction, then it starts in the engine. Balancing may hand it over later, like any other.
     *
     * @throws IllegalStateException when another instance holds it already
     */
    public void adopt(AccountConfig config, List<MirroredLock> seed) {
        HeldLeases.Sent sent = leases.sent();
        Lease lease = cluster.addAndAcquire(config.name(), id, settings.leaseTtl())
                .orElseThrow(() -> new IllegalStateException("account " + config.name() + " is held by another instance"));
        HeldLeases.Held held = leases.put(config.name(), lease.fencing(), sent);
        try {
            engine.addAccount(config, seed, lease.history());
        } catch (RuntimeException e) {
            leases.remove(config.name(), held);
            cluster.release(config.name(), id, lease.fencing(), lease.history());
            throw e;
        }
    }

    /** The account was removed at runtime (its engine part is stopped): its lease row goes too. */
    public void forget(String account) {
        leases.remove(account);
        moves.forget(account);
        cluster.removeAccount(account);
        Set<String> without = new HashSet<>(clusterAccounts);
        without.remove(account);
        clusterAccounts = Set.copyOf(without);
    }

    /**
     * Removes the lease row of an account nobody runs (free or expired) that this instance does not declare:
     * one taken out of every accounts file. An instance that still declares it makes its row again.
     *
     * @return false when it is held by a live instance, declared here, or has no row
     */
    public boolean forgetLeftover(String account) {
        if (leases.holds(account) || accounts.declared().contains(account) || !cluster.removeAccountIfFree(account)) {
            return false;
        }
        moves.forget(account);
        return true;
    }

    /** The cluster's accounts (those with a lease row), as of the last heartbeat: whose locks every instance serves. */
    public Set<String> accounts() {
        return clusterAccounts;
    }

    /** Whether this instance could not open the account lately (its row does not open here, or it is not declared here). */
    public boolean cannotRun(String account) {
        return moves.cannotRun(account);
    }

    /** Whether the account is one of the cluster's (it has a lease row), asked of the database. */
    public boolean knows(String account) {
        return leases.holds(account) || cluster.hasAccount(account);
    }

    /** Where the account's owner is, when another live instance owns it. */
    public Optional<URI> ownerElsewhere(String account) {
        if (leases.holds(account)) {
            return Optional.empty();
        }
        return cluster.ownerUrl(account).map(URI::create).filter(owner -> !owner.equals(url));
    }

    /**
     * What the owners of the accounts this instance does not own last said of them (the accounts API's JSON of
     * each, stored with its history every fifth heartbeat), by account; only accounts of the cluster.
     */
    public Map<String, String> othersStatuses() {
        Set<String> all = clusterAccounts;
        Map<String, String> others = new TreeMap<>();
        cluster.statuses().forEach((account, json) -> {
            if (!leases.holds(account) && all.contains(account)) {
                others.put(account, json);
            }
        });
        return others;
    }

    /** What this instance owns and which instances are alive, as of the last heartbeat. */
    public ClusterView view() {
        return view;
    }

    /** Takeovers (leases taken from an instance that stopped renewing them) since start. */
    public long takeovers() {
        return moves.takeovers();
    }

    /** Leases lost to another instance since start (this one was paused or cut off past its lease). */
    public long leasesLost() {
        return lost;
    }

    private void beat() {
        if (closed) {
            return;
        }
        try {
            renew();
            if (closing) {
                return;
            }
            List<ClusterInstance> instances = cluster.instances(settings.leaseTtl());
            List<LeaseRow> rows = cluster.leases();
            balance(instances, rows);
            if (++beats % HISTORY_EVERY == 0) {
                saveHistories();
            }
            if (beats % REASSERT_EVERY == 0) {
                cluster.addAccounts(accounts.declared()); // a declared account's row removed elsewhere comes back
            }
        } catch (RuntimeException e) {
            LOG.warn("cluster: heartbeat failed ({}); accounts stop calling Tedee when their leases end", e.getMessage());
        } catch (Error e) {
            LOG.error("cluster: heartbeat failed; it goes on at the next one", e); // a scheduled task that throws is never run again
        }
    }

    /** Renews every lease held, in one statement; drops those lost. On the heartbeat thread. */
    private void renew() {
        HeldLeases.Sent sent = leases.sent();
        Map<String, Long> tokens = leases.tokens();
        // Once leaving, only the leases: the others no longer count this instance and take each account it releases.
        Set<String> renewed = closing ? cluster.renewLeases(id, settings.leaseTtl(), tokens)
                : cluster.heartbeat(id, settings.leaseTtl(), tokens);
        lastRenewal = sent.nanos();
        leases.renewed(tokens, renewed, sent).forEach(this::lose);
    }

    /** Renews again when a heartbeat's work (a big take on a busy machine) has lasted a heartbeat since the last renewal. */
    private void renewIfDue() {
        if (leases.now() - lastRenewal >= settings.heartbeat().toNanos()) {
            renew();
        }
    }

    /** Another instance took the account over (this one was paused or cut off past its lease): stop it here, unwritten. */
    private void lose(String account, HeldLeases.Held lease) {
        if (!leases.remove(account, lease)) {
            return;
        }
        lost++;
        moves.forget(account);
        LOG.warn("cluster: lost the lease of account {} (another instance took it over); stopping it here", account);
        AccountMoves.Instance self = instance();
        engine.removeAccount(account).whenComplete((ignored, failure) -> {
            try { // on the heartbeat thread, where takes happen: a take of it again comes before or after, never inside
                thread.execute(() -> moves.closedUnlessTakenAgain(self, account));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                moves.closedUnlessTakenAgain(self, account);
            }
        });
    }

    private void balance(List<ClusterInstance> instances, List<LeaseRow> rows) {
        List<String> alive = new ArrayList<>(instances.stream().filter(ClusterInstance::alive).map(ClusterInstance::id).toList());
        if (!alive.contains(id)) {
            alive.add(id); // our own heartbeat just went in: the read may have raced it
        }
        alive.sort(null);
        Set<String> aliveSet = Set.copyOf(alive);
        List<String> names = rows.stream().map(LeaseRow::account).toList();
        clusterAccounts = Set.copyOf(names);
        Map<String, String> plan = Assignment.plan(names, alive);
        int handOvers = 0;
        int limit = Math.max(10, leases.size() / 5); // a join moves a fifth per heartbeat at most: no stampede of first lists
        List<String> toTake = new ArrayList<>();
        Set<String> free = new HashSet<>();
        for (LeaseRow row : rows) {
            String account = row.account();
            String planned = plan.get(account);
            HeldLeases.Held ours = leases.get(account);
            if (ours != null) {
                if (!id.equals(planned) && aliveSet.contains(planned) && !moves.isOrphan(account, planned) && ours.leaving == null
                        && handOvers < limit && engine.account(account).isPresent()) { // an account still starting is not handed over
                    handOvers++;
                    moves.handOver(instance(), account, ours);
                }
            } else if (row.owner() == null || row.expired()) {
                String key = account + " " + planned; // a new planned owner starts the count again
                free.add(key);
                int beatsFree = freeFor.merge(key, 1, Integer::sum);
                if (id.equals(planned)) {
                    toTake.add(account);
                } else if (beatsFree > ORPHAN_BEATS) {
                    toTake.add(account);
                }
            }
        }
        freeFor.keySet().retainAll(free);
        moves.take(instance(), toTake, plan, this::renewIfDue);
        view = viewOf(instances, rows);
    }

    private void saveHistories() {
        Map<String, FencedHistory> histories = new HashMap<>();
        leases.all().forEach((account, lease) -> engine.callHistory(account).ifPresent(history ->
                histories.put(account, new FencedHistory(lease.token, history, accounts.statusJson(account)))));
        if (!histories.isEmpty()) {
            cluster.saveHistories(id, histories);
        }
    }

    private ClusterView viewOf(List<ClusterInstance> instances, List<LeaseRow> rows) {
        Map<String, Integer> counts = new HashMap<>();
        for (LeaseRow row : rows) {
            if (row.owner() != null && !row.expired()) {
                counts.merge(row.owner(), 1, Integer::sum);
            }
        }
        List<ClusterView.Peer> peers = instances.stream()
                .map(instance -> new ClusterView.Peer(instance.id(), instance.url(), instance.alive(), counts.getOrDefault(instance.id(), 0)))
                .toList();
        return new ClusterView(id, view.name(), url, leases.accounts(), peers);
    }

    /**
     * Leaves the cluster: removes this instance first (the others stop planning for it), then hands every
     * account over (each stopped in the engine, then released with its history, so the others take it at
     * their next heartbeat instead of after the lease), renewing the leases not released yet meanwhile.
     */
    @Override
    public void close() {
        closing = true;
        if (engine != null) {
            try {
                cluster.leave(id); // first: the others plan without it and take each account as it is released
            } catch (RuntimeException e) {
                LOG.debug("cluster: could not leave: {}", e.getMessage());
            }
            try {
                thread.submit(() -> leases.all().forEach((account, lease) -> {
                    if (lease.leaving == null) {
                        moves.handOver(instance(), account, lease);
                    }
                })).get(HAND_OVER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                CompletableFuture.allOf(leases.leaving().toArray(CompletableFuture[]::new))
                        .get(HAND_OVER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
                LOG.warn("cluster: not every account was handed over in time; the others take them over when their leases end");
            }
        }
        closed = true;
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            cluster.leave(id);
        } catch (RuntimeException e) {
            LOG.debug("cluster: could not leave: {}", e.getMessage());
        }
        LOG.info("cluster: left");
    }
}
