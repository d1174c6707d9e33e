package io.tedeesync.store;

import io.tedeesync.store.internal.AccountTable;
import io.tedeesync.store.internal.Database;
import io.tedeesync.store.internal.EventLogTable;
import io.tedeesync.store.internal.SnapshotTable;
import io.tedeesync.store.internal.Transactions;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
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
 * together or not at all. Event ids are given by the store, which must be the only writer of its
 * database (for SQLite a lock on the data directory enforces it); they increase in the order the
 * batches were written, so a reader paging with {@link EventQuery#afterId()} misses nothing, and they
 * continue after a restart.
 *
 * <p>Thread-safe. Writes ({@link #onChanges}, {@link #pruneEventsBefore}, the account writes) run one at
 * a time, in the order they took the store's write lock; reads run beside them on their own connections.
 */
public final class LockStore implements SyncListener, AutoCloseable {
    /** How long the service keeps events unless told otherwise; see {@link #pruneEventsBefore(Instant)}. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    private static final Logger log = LoggerFactory.getLogger(LockStore.class);

    private final Database database;
    // Serialises the writers so that ids are given in commit order. It is held across the database
    // I/O on purpose: the database would make a second writer wait for the same lock anyway, and
    // readers never take it.
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile long lastEventId;
    private volatile boolean closed;

    private LockStore(Database database, long lastEventId) {
        this.database = database;
        this.lastEventId = lastEventId;
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
     * events appended with the next ids.
     *
     * @throws StoreException when the transaction failed and was rolled back (none of them is stored)
     */
    @Override
    public void onBatches(List<ChangeBatch> batches) {
        Objects.requireNonNull(batches, "batches");
        writeLock.lock();
        try {
            ensureOpen();
            List<ChangeBatch> work = batches.stream()
                    .filter(batch -> !(batch.events().isEmpty() && batch.changed().isEmpty() && batch.removed().isEmpty()))
                    .toList();
            if (work.isEmpty()) {
                return;
            }
            long firstId = lastEventId + 1;
            try (Connection connection = database.connection()) {
                long[] next = {firstId};
                Transactions.run(connection, transaction -> {
                    for (ChangeBatch batch : work) {
                        SnapshotTable.upsert(transaction, batch.changed());
                        // After the upserts: a serial the batch names as removed is gone, whatever else it says.
                        SnapshotTable.delete(transaction, batch.account(), batch.removed());
                        EventLogTable.insert(transaction, next[0], batch.events());
                        next[0] += batch.events().size();
                    }
                    return null;
                });
                lastEventId = next[0] - 1;
            } catch (SQLException e) {
                recoverLastEventId();
                throw database.failure(what(work), e);
            } catch (RuntimeException e) {
                throw new StoreException("could not " + what(work) + " in " + describe() + ": " + e, e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** The last known copy of every lock, by account, ready for {@code SyncEngine.Builder.seed(account, locks)}. */
    public Map<String, List<MirroredLock>> loadLocks() {
        ensureOpen();
        try (Connection connection = database.connection()) {
            return SnapshotTable.loadAll(connection);
        } catch (SQLException e) {
            throw database.failure("load the locks", e);
        }
    }

    /** The last known copy of one account's locks (for an account added again at runtime). */
    public List<MirroredLock> loadLocks(String account) {
        ensureOpen();
        try (Connection connection = database.connection()) {
            return SnapshotTable.loadAccount(connection, Objects.requireNonNull(account, "account"));
        } catch (SQLException e) {
            throw database.failure("load the locks of " + account, e);
        }
    }

    /** One page of the event log, ascending by id. */
    public List<StoredEvent> events(EventQuery query) {
        Objects.requireNonNull(query, "query");
        ensureOpen();
        try (Connection connection = database.connection()) {
            return EventLogTable.query(connection, query);
        } catch (SQLException e) {
            throw database.failure("read events", e);
        }
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

    /** The id of the newest event written, or of the newest ever written if pruning removed it; 0 for a new store. */
    public long lastEventId() {
        return lastEventId;
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
                connection -> EventLogTable.deleteObservedBefore(connection, cutoff, lastEventId));
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
        ensureOpen();
        try (Connection connection = database.connection()) {
            return AccountTable.loadAll(connection);
        } catch (SQLException e) {
            throw database.failure("load the accounts", e);
        }
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

    /** Waits for a write in progress, then closes the database. Idempotent. */
    @Override
    public void close() {
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

    private static String what(List<ChangeBatch> batches) {
        if (batches.size() == 1) {
            ChangeBatch batch = batches.get(0);
            return "store " + batch.events().size() + " event(s) and " + batch.changed().size() + " lock(s) of account "
                    + batch.account();
        }
        int events = 0;
        int locks = 0;
        for (ChangeBatch batch : batches) {
            events += batch.events().size();
            locks += batch.changed().size();
        }
        return "store " + events + " event(s) and " + locks + " lock(s) of " + batches.size() + " change batches";
    }

    /** Deletes the account's locks and events. Under the write lock, so that {@code lastEventId} is the floor to keep. */
    private Removal purge(Connection connection, String account, boolean existed) throws SQLException {
        int locks = SnapshotTable.deleteAccount(connection, account);
        int events = EventLogTable.deleteAccount(connection, account, lastEventId);
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
    private <T> T write(String what, String secret, Transactions.Work<T> work) {
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

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("the store " + describe() + " is closed");
        }
    }

    /**
     * After a failed write the ids in memory may be wrong (a row written behind the store's back is
     * the usual reason): take the log's own highest id, so that one such row fails one batch, not all.
     */
    private void recoverLastEventId() {
        try (Connection connection = database.connection()) {
            lastEventId = Math.max(lastEventId, EventLogTable.highestId(connection));
        } catch (SQLException e) {
            log.debug("Could not re-read the last event id of {}: {}", database.description(), e.getMessage());
        }
    }

    /** What {@link #purge} removed, and whether the account's own row was there. */
    private record Removal(boolean existed, int locks, int events) {
    }
}
