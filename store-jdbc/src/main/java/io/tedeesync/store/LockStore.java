package io.tedeesync.store;

import io.tedeesync.store.internal.AccountTable;
import io.tedeesync.store.internal.BatchWriter;
import io.tedeesync.store.internal.Database;
import io.tedeesync.store.internal.EventLogTable;
import io.tedeesync.store.internal.SnapshotTable;
import io.tedeesync.store.internal.Transactions;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable copy of every account's locks and the append-only event log, written as the engine
 * emits: register it as a {@link SyncListener}, and seed the engine from {@link #loadLocks()} on start.
 * It also keeps the accounts added at runtime ({@link StoredAccount}, credentials sealed by the server),
 * so that they come back after a restart ({@link #loadAccounts()}), and forgets an account's locks and
 * events when asked ({@link #purgeAccount}, {@link #deleteAccount}).
 *
 * <p>One {@link ChangeBatch} is one transaction: the snapshot changes and their events are written
 * together or not at all. Event ids come from a counter row in the database, taken in the same
 * transaction as the events: they increase in the order the batches were committed, also when several
 * instances write to one PostgreSQL database, so a reader paging with {@link EventQuery#afterId()}
 * misses nothing, and they continue after a restart. (SQLite has one writer: a lock on the data
 * directory refuses a second store.)
 *
 * <p>Several instances on one PostgreSQL database coordinate through {@link #cluster(Clock)} (who owns
 * which account), {@link #fence(Fence)} (writes only for the accounts this instance owns) and
 * {@link #listen(LongConsumer)} (events the others appended).
 *
 * <p>Thread-safe. Writes ({@link #onChanges}, {@link #pruneEventsBefore}, the account writes) run one at
 * a time, in the order they took the store's write lock; reads run beside them on their own connections.
 * The outbound webhooks' writes ({@link #webhooks()}) take that lock on SQLite only: on PostgreSQL they
 * need no order with the engine's and run beside its group commits.
 */
public final class LockStore implements SyncListener, AutoCloseable {
    /** How long the service keeps events unless told otherwise; see {@link #pruneEventsBefore(Instant)}. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    private static final Logger log = LoggerFactory.getLogger(LockStore.class);

    private final Database database;
    // Serialises this store's writers, in the order they came. It is held across the database I/O on
    // purpose: the database would make a second writer wait for the counter's row lock anyway, and
    // readers never take it.
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BatchWriter writer;
    private final AtomicLong lastEventId;
    private final List<EventNotifications> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private LockStore(Database database, long lastEventId) {
        this.database = database;
        this.lastEventId = new AtomicLong(lastEventId);
        this.writer = new BatchWriter(database, System::nanoTime, id -> this.lastEventId.accumulateAndGet(id, Math::max));
    }

    /**
     * Opens the store, creating and migrating the database if needed.
     *
     * @throws StoreException when the database cannot be reached, or holds something that is not a
     *                        tedee-sync store (nothing is changed in it then)
     */
    public static LockStore open(StoreConfig config) {
        Objects.requireNonNull(config, "config");
        Database database = Database.open(config);
        try (Connection connection = database.connection()) {
            long lastEventId = EventLogTable.highestId(connection);
            log.info("Store {} open: {} migration(s) applied, last event id {}",
                    database.description(), database.migrationsApplied(), lastEventId);
            return new LockStore(database, lastEventId);
        } catch (SQLException e) {
            database.close();
            throw database.failure("read the event log", e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Writes one batch in one transaction: upserts the changed locks, deletes the removed ones, appends
     * the events.
     *
     * @throws StoreException when the transaction failed and was rolled back (nothing of it is stored)
     */
    @Override
    public void onChanges(ChangeBatch batch) {
        onBatches(List.of(Objects.requireNonNull(batch, "batch")));
    }

    /**
     * Writes several batches, in order, in one transaction (group commit: one commit, one fsync, for
     * everything the engine had queued): each batch's locks upserted, its removed ones deleted, its
     * events appended with the next ids. With a {@link #fence(Fence)}, the batches of accounts whose
     * lease is not held are left out (see {@link #fencedBatches()}), never an error.
     *
     * @throws StoreException when the transaction failed and was rolled back (none of them is stored)
     */
    @Override
    public void onBatches(List<ChangeBatch> batches) {
        Objects.requireNonNull(batches, "batches");
        writeLock.lock();
        try {
            ensureOpen();
            writer.commit(batches);
        } finally {
            writeLock.unlock();
        }
    }

    /** The last known copy of every lock, by account, ready for {@code SyncEngine.Builder.seed(account, locks)}. */
    public Map<String, List<MirroredLock>> loadLocks() {
        return read("load the locks", SnapshotTable::loadAll);
    }

    /** The last known copy of one account's locks (for an account added again at runtime). */
    public List<MirroredLock> loadLocks(String account) {
        Objects.requireNonNull(account, "account");
        return read("load the locks of " + account, connection -> SnapshotTable.loadAccount(connection, account));
    }

    /** The last known copy of the locks of these accounts, by account (an account without locks is left out). */
    public Map<String, List<MirroredLock>> loadLocks(java.util.Collection<String> accounts) {
        return read("load the locks of " + accounts.size() + " account(s)", connection -> SnapshotTable.loadAccounts(connection,
                List.copyOf(accounts)));
    }

    /**
     * The last known copies of the lock with this serial number, one per account that has it (a shared lock),
     * by account name. For an instance that serves locks other instances sync.
     */
    public List<MirroredLock> copiesOf(String serialNumber) {
        return read("load lock " + serialNumber, connection -> SnapshotTable.loadSerial(connection,
                Objects.requireNonNull(serialNumber, "serialNumber")));
    }

    /** The accounts that have a copy of the lock with this id (the id a webhook names), by name. */
    public List<String> accountsOfLockId(long lockId) {
        return read("find the accounts of lock id " + lockId, connection -> SnapshotTable.accountsOfLockId(connection, lockId));
    }

    /** The stored account of this name (as {@link #loadAccounts()} has it), if any. */
    public java.util.Optional<StoredAccount> loadAccount(String name) {
        return read("load account " + name, connection -> AccountTable.load(connection, Objects.requireNonNull(name, "name")));
    }

    /** One page of the event log, ascending by id. */
    public List<StoredEvent> events(EventQuery query) {
        Objects.requireNonNull(query, "query");
        return read("read events", connection -> EventLogTable.query(connection, query));
    }

    /**
     * Asks the database a trivial question, for health checks.
     *
     * @throws StoreException when it does not answer
     */
    public void probe() {
        ensureOpen();
        try (Connection connection = database.connection(); java.sql.Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(5);
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw database.failure("reach the database", e);
        }
    }

    /**
     * The highest event id this store knows of, without asking the database: the counter's value when it
     * opened, raised by its own writes and by what {@link #listen} heard from other instances. Ids are
     * never given again, even when pruning or purging deleted their events; 0 for a new store.
     */
    public long lastEventId() {
        return lastEventId.get();
    }

    /**
     * From the next write transaction on, writes the batches of an account only while its lease row names
     * {@link Fence#owner()} with the account's {@link Fence#token}; the others are dropped (not written,
     * not retried, a WARN once a minute per account, counted by {@link #fencedBatches()}) and the rest of
     * the group is written. Replaces an earlier fence. Only for instances of a cluster, so PostgreSQL only.
     *
     * @throws StoreException on SQLite, which is single-instance
     */
    public void fence(Fence fence) {
        Objects.requireNonNull(fence, "fence");
        requireCluster();
        writeLock.lock();
        try {
            ensureOpen();
            writer.fence(fence);
        } finally {
            writeLock.unlock();
        }
    }

    /** How many change batches {@link #fence(Fence)} dropped since the store opened. */
    public long fencedBatches() {
        return writer.fencedBatches();
    }

    /**
     * The cluster's tables (instances and account leases) of this database, for an instance whose clock
     * is {@code clock}: every time it passes or gets is in that clock, converted from and to the
     * database's. Cheap; every call gives a new one.
     *
     * @throws StoreException on SQLite: {@value ClusterStore#SINGLE_INSTANCE}
     */
    public ClusterStore cluster(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        requireCluster();
        ensureOpen();
        return new ClusterStore(this, database, clock);
    }

    /**
     * The outbound webhook endpoints and their delivery queue. Cheap; every call gives a new one over
     * the same tables.
     */
    public WebhookStore webhooks() {
        ensureOpen();
        return new WebhookStore(this);
    }

    /** A lock's events by the time they happened, for its history over a range. Cheap; every call gives a new one. */
    public EventHistory history() {
        ensureOpen();
        return new EventHistory(this);
    }

    /**
     * Listens for the events that any instance on the database appends, on a thread and a connection of
     * its own (see {@link EventNotifications}): {@code onEvents} gets the highest id notified, after
     * {@link #lastEventId()} was raised to it. Closing the store closes it too.
     *
     * @throws StoreException on SQLite, which is single-instance
     */
    public EventNotifications listen(LongConsumer onEvents) {
        Objects.requireNonNull(onEvents, "onEvents");
        requireCluster();
        ensureOpen();
        EventNotifications notifications = EventNotifications.start(database, id -> {
            lastEventId.accumulateAndGet(id, Math::max);
            onEvents.accept(id);
        });
        listeners.add(notifications);
        if (closed) {
            // close() ran between the check and the add, and did not see this one.
            notifications.close();
            ensureOpen();
        }
        return notifications;
    }

    /**
     * Deletes the events observed before {@code cutoff} (retention); locks are not touched. Ids are never
     * given again, even if every event was deleted.
     *
     * @return the number of events deleted
     */
    public int pruneEventsBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int deleted = write("delete events observed before " + cutoff, null,
                connection -> EventLogTable.deleteObservedBefore(connection, cutoff));
        if (deleted > 0) {
            log.info("Pruned {} event(s) observed before {} from {}", deleted, cutoff, database.description());
        }
        return deleted;
    }

    /**
     * Every account added at runtime and not deleted, oldest {@link StoredAccount#addedAt()} first, then
     * by name (in {@link String#compareTo} order, the same on both databases).
     *
     * @throws StoreException when the database cannot be read
     */
    public List<StoredAccount> loadAccounts() {
        return read("load the accounts", AccountTable::loadAll);
    }

    /**
     * Adds the account, unless its name is taken: then nothing is changed. Two racing inserts of one name
     * are decided by the database's key, so exactly one of them returns true.
     *
     * @return true when it was added, false when an account of that name was already stored
     * @throws StoreException when the write failed (nothing is stored; the message never quotes the sealed credentials)
     */
    public boolean insertAccount(StoredAccount account) {
        Objects.requireNonNull(account, "account");
        return write("add account " + account.name(), account.sealedCredentials(),
                connection -> AccountTable.insert(connection, account));
    }

    /**
     * Replaces the stored account of the same name with this one, all but its name and
     * {@link StoredAccount#addedAt()}, which stay as they were stored.
     *
     * @return true when it was replaced, false when no account of that name is stored (nothing is added)
     * @throws StoreException when the write failed (nothing is changed; the message never quotes the sealed credentials)
     */
    public boolean updateAccount(StoredAccount account) {
        Objects.requireNonNull(account, "account");
        return write("update account " + account.name(), account.sealedCredentials(),
                connection -> AccountTable.update(connection, account));
    }

    /**
     * Deletes the stored account; with {@code purge}, in the same transaction, also what
     * {@link #purgeAccount(String)} deletes. Without it the account's locks and events stay (a re-added
     * account of the same name finds them).
     *
     * @return true when an account of that name was stored; false when not, in which case {@code purge}
     *         still removed its locks and events
     * @throws StoreException when the transaction failed and was rolled back (nothing is deleted)
     */
    public boolean deleteAccount(String name, boolean purge) {
        Objects.requireNonNull(name, "name");
        String what = purge ? "delete and purge account " + name : "delete account " + name;
        Removal removal = write(what, null, connection -> {
            boolean existed = AccountTable.delete(connection, name);
            return purge ? purge(connection, name, existed) : new Removal(existed, 0, 0);
        });
        if (purge) {
            logPurge(name, removal);
        }
        return removal.existed();
    }

    /**
     * Deletes the copies of the account's locks and every event of the account, in one transaction,
     * whether or not it is a stored account (one declared in a configuration file has locks and events
     * too). The row of a stored account stays. It is ordered with the engine's writes: what was written
     * before is deleted, what is written after (stop syncing the account first) stays. Event ids are not
     * given again, even after a restart and even when the purged events were the newest.
     *
     * @return the number of rows removed: locks plus events
     * @throws StoreException when the transaction failed and was rolled back (nothing is deleted)
     */
    public int purgeAccount(String name) {
        Objects.requireNonNull(name, "name");
        Removal removal = write("purge account " + name, null, connection -> purge(connection, name, false));
        logPurge(name, removal);
        return removal.locks() + removal.events();
    }

    /** What the store is, e.g. {@code SQLite /data/tedee-sync.db} or {@code PostgreSQL jdbc:postgresql://host/db}; never a password. */
    public String describe() {
        return database.description();
    }

    /** Stops its listeners, waits for a write in progress, then closes the database. Idempotent. */
    @Override
    public void close() {
        listeners.forEach(EventNotifications::close);
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            database.close();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LockStore[" + describe() + "]";
    }

    /** Deletes the account's locks and events. */
    private Removal purge(Connection connection, String account, boolean existed) throws SQLException {
        int locks = SnapshotTable.deleteAccount(connection, account);
        int events = EventLogTable.deleteAccount(connection, account);
        return new Removal(existed, locks, events);
    }

    private void logPurge(String account, Removal removal) {
        log.info("Purged account {}: {} lock(s) and {} event(s) deleted from {}", account, removal.locks(),
                removal.events(), database.description());
    }

    /**
     * Runs {@code work} in one transaction under the write lock (so it is ordered with the engine's group
     * commits); a failure is a {@link StoreException} whose message never quotes {@code secret}.
     */
    <T> T write(String what, String secret, Transactions.Work<T> work) {
        writeLock.lock();
        try {
            ensureOpen();
            try (Connection connection = database.connection()) {
                return Transactions.run(connection, work);
            } catch (SQLException e) {
                throw secret == null ? database.failure(what, e) : database.failure(what, e, secret);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} in one transaction that needs no order with the engine's group commits (the outbound
     * webhooks' tables): under the write lock on SQLite, which has one writer, and beside it on PostgreSQL,
     * where the database orders the writers and a webhook write must not wait for a group commit. A failure
     * is a {@link StoreException} whose message quotes none of {@code secrets} (nulls ignored).
     */
    <T> T writeBesideEngine(String what, List<String> secrets, Transactions.Work<T> work) {
        boolean serialise = !database.isPostgres();
        if (serialise) {
            writeLock.lock();
        }
        try {
            ensureOpen();
            try (Connection connection = database.connection()) {
                return Transactions.run(connection, work);
            } catch (SQLException e) {
                throw database.failure(what, e, secrets);
            }
        } finally {
            if (serialise) {
                writeLock.unlock();
            }
        }
    }

    /** Runs {@code work} on a connection of its own, beside the writers. */
    <T> T read(String what, Transactions.Work<T> work) {
        ensureOpen();
        try (Connection connection = database.connection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw database.failure(what, e);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new StoreException("the store " + describe() + " is closed");
        }
    }

    private void requireCluster() {
        if (!database.isPostgres()) {
            throw new StoreException(ClusterStore.SINGLE_INSTANCE);
        }
    }

    /** What {@link #purge} removed, and whether the account's own row was there. */
    private record Removal(boolean existed, int locks, int events) {
    }
}
