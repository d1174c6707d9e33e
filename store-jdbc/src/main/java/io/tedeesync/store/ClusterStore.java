package io.tedeesync.store;

import io.tedeesync.store.internal.Database;
import io.tedeesync.store.internal.DbTime;
import io.tedeesync.store.internal.InstanceTable;
import io.tedeesync.store.internal.LeaseTable;
import io.tedeesync.store.internal.Transactions;
import io.tedeesync.sync.CallHistory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's tables: the instances serving from one PostgreSQL database ({@code cluster_instance})
 * and who owns each account ({@code account_lease}: owner, fencing token, expiry, and the call history
 * the next owner must honour). From {@link LockStore#cluster(Clock)}.
 *
 * <p>Lease and heartbeat times are the database's clock ({@code clock_timestamp()}), so that instance
 * clocks never have to agree: durations are counted from the database's now, and the times of a
 * {@link CallHistory} are converted from and to this instance's clock with the offset measured in the
 * same transaction (see {@code DbTime}: the conversion errs late, by at most the statement's round trip).
 * Each method is one transaction; a failure is a {@link StoreException} and changes nothing.
 *
 * <p>Thread-safe.
 */
public final class ClusterStore {
    /** Why SQLite has no cluster. */
    public static final String SINGLE_INSTANCE =
            "SQLite is single-instance: use --database postgresql://... to run several instances";
    /** How long the row of a dead instance stays for {@link #instances(Duration)} to show it dead. */
    static final Duration FORGET_DEAD_AFTER = Duration.ofHours(1);

    private final LockStore store;
    private final Database database;
    private final Clock clock;
    // The url each instance joined with through this object, for a heartbeat to put back a row that was
    // deleted while the instance was paused for longer than FORGET_DEAD_AFTER.
    private final Map<String, String> joined = new ConcurrentHashMap<>();

    ClusterStore(LockStore store, Database database, Clock clock) {
        this.store = store;
        this.database = database;
        this.clock = clock;
    }

    /** Inserts or replaces the instance's row, started and beating now. */
    public void join(String instance, String url) {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(url, "url");
        run("join instance " + instance, connection -> {
            InstanceTable.join(connection, instance, url);
            return null;
        });
        joined.put(instance, url);
    }

    /** Deletes the instance's row. Its leases stay: they expire, or were handed over before. */
    public void leave(String instance) {
        Objects.requireNonNull(instance, "instance");
        joined.remove(instance);
        run("remove instance " + instance, connection -> InstanceTable.leave(connection, instance));
    }

    /**
     * Every instance with a row, by id, each alive while its heartbeat is younger than {@code alive}.
     * Rows dead for longer than an hour are deleted first.
     */
    public List<ClusterInstance> instances(Duration alive) {
        long aliveMillis = positive(alive, "alive");
        return run("read the instances", connection -> InstanceTable.list(connection, aliveMillis,
                aliveMillis + FORGET_DEAD_AFTER.toMillis(), DbTime.measure(connection, clock)));
    }

    /**
     * Sets the instance's heartbeat to now and extends by {@code ttl} from now each lease in {@code held}
     * (account to fencing token) that still names {@code instance} with that token, all in one statement.
     *
     * @return the accounts renewed: a lease taken over, released or deleted is not among them
     */
    public Set<String> heartbeat(String instance, Duration ttl, Map<String, Long> held) {
        Objects.requireNonNull(instance, "instance");
        long ttlMillis = positive(ttl, "ttl");
        Map<String, Long> tokens = Map.copyOf(Objects.requireNonNull(held, "held"));
        String url = joined.get(instance);
        return run("renew the leases of " + instance, connection -> {
            InstanceTable.beat(connection, instance, url);
            return LeaseTable.renew(connection, instance, ttlMillis, tokens);
        });
    }

    /**
     * As {@link #heartbeat} without the instance's own heartbeat: for an instance that has left (the others
     * no longer plan for it) and still holds leases while it hands them over.
     */
    public Set<String> renewLeases(String instance, Duration ttl, Map<String, Long> held) {
        Objects.requireNonNull(instance, "instance");
        long ttlMillis = positive(ttl, "ttl");
        Map<String, Long> tokens = Map.copyOf(Objects.requireNonNull(held, "held"));
        return run("renew the leases of " + instance, connection -> LeaseTable.renew(connection, instance, ttlMillis, tokens));
    }

    /** Inserts a free lease row for each account that has none, in one statement; the others stay as they are. */
    public void addAccounts(Collection<String> accounts) {
        List<String> names = List.copyOf(Objects.requireNonNull(accounts, "accounts"));
        if (names.isEmpty()) {
            return;
        }
        run("add " + names.size() + " account(s) to the cluster", connection -> {
            LeaseTable.addMissing(connection, names);
            return null;
        });
    }

    /** Deletes the account's lease row (with its history and status); false when it had none. */
    public boolean removeAccount(String account) {
        Objects.requireNonNull(account, "account");
        return run("remove account " + account + " from the cluster", connection -> LeaseTable.delete(connection, account));
    }

    /** Deletes the account's lease row if nobody holds it (free or expired); false when held or absent. */
    public boolean removeAccountIfFree(String account) {
        Objects.requireNonNull(account, "account");
        return run("remove account " + account + " from the cluster", connection -> LeaseTable.deleteIfFree(connection, account));
    }

    /** Every account's lease, by account name ({@link String#compareTo} order). */
    public List<LeaseRow> leases() {
        return run("read the leases", LeaseTable::all);
    }

    /**
     * Takes the account's lease for {@code instance} if it is free or expired: owner set, token raised by
     * one, expiring {@code ttl} from now.
     *
     * @return the lease with the history its predecessor left; empty when another (or this) instance
     *         holds it unexpired, or the account has no lease row ({@link #addAccounts})
     */
    public Optional<Lease> acquire(String account, String instance, Duration ttl) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(instance, "instance");
        long ttlMillis = positive(ttl, "ttl");
        return run("acquire the lease of " + account,
                connection -> LeaseTable.acquire(connection, account, instance, ttlMillis, clock));
    }

    /**
     * As {@link #acquire} for many accounts, in one statement: those free or expired are taken (a row another
     * instance is taking or renewing at this moment is left to it).
     *
     * @return the leases taken, by account
     */
    public Map<String, Lease> acquireAll(Collection<String> accounts, String instance, Duration ttl) {
        List<String> names = List.copyOf(Objects.requireNonNull(accounts, "accounts"));
        Objects.requireNonNull(instance, "instance");
        long ttlMillis = positive(ttl, "ttl");
        return run("acquire " + names.size() + " lease(s)", connection -> LeaseTable.acquireAll(connection, names, instance, ttlMillis, clock));
    }

    /**
     * Makes the account's lease row, if it has none, and takes it, in one transaction: no other instance
     * can take a new account between the two (it does not see the row before it is taken).
     *
     * @return as {@link #acquire}: empty when the row was there already and is held unexpired
     */
    public Optional<Lease> addAndAcquire(String account, String instance, Duration ttl) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(instance, "instance");
        long ttlMillis = positive(ttl, "ttl");
        return run("add and acquire the lease of " + account, connection -> {
            LeaseTable.addMissing(connection, List.of(account));
            return LeaseTable.acquire(connection, account, instance, ttlMillis, clock);
        });
    }

    /**
     * Frees the lease, storing {@code history} for the next owner, if {@code instance} still holds it with
     * {@code fencing}.
     *
     * @return false when it does not (taken over, or released before): nothing is changed
     */
    public boolean release(String account, String instance, long fencing, CallHistory history) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(history, "history");
        return run("release the lease of " + account, connection -> LeaseTable.release(connection, account, instance,
                fencing, DbTime.measure(connection, clock).toDb(history)));
    }

    /**
     * Stores history and status of each account whose lease {@code instance} still holds with the
     * history's token, all in one statement; the others are left as they are.
     */
    public void saveHistories(String instance, Map<String, FencedHistory> histories) {
        Objects.requireNonNull(instance, "instance");
        Map<String, FencedHistory> copy = Map.copyOf(Objects.requireNonNull(histories, "histories"));
        if (copy.isEmpty()) {
            return;
        }
        run("save the histories of " + copy.size() + " account(s)", connection -> {
            LeaseTable.saveHistories(connection, instance, copy, DbTime.measure(connection, clock));
            return null;
        });
    }

    /** Account to its owner's last saved status JSON, for every account that has one, by account name. */
    public SortedMap<String, String> statuses() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(run("read the statuses", LeaseTable::statuses)));
    }

    /** The url of the instance holding the account's unexpired lease; empty when free, expired or its owner has left. */
    public Optional<String> ownerUrl(String account) {
        Objects.requireNonNull(account, "account");
        return run("find the owner of " + account, connection -> LeaseTable.ownerUrl(connection, account));
    }

    /** Whether the account is one of the cluster's: it has a lease row, held or not. */
    public boolean hasAccount(String account) {
        Objects.requireNonNull(account, "account");
        return run("look for account " + account + " in the cluster", connection -> LeaseTable.exists(connection, account));
    }

    @Override
    public String toString() {
        return "ClusterStore[" + database.description() + "]";
    }

    private <T> T run(String what, Transactions.Work<T> work) {
        store.ensureOpen();
        try (Connection connection = database.connection()) {
            return Transactions.run(connection, work);
        } catch (SQLException e) {
            throw database.failure(what, e);
        }
    }

    private static long positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration.toMillis();
    }
}
