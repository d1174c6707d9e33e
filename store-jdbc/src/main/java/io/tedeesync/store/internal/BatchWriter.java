package io.tedeesync.store.internal;

import io.tedeesync.store.Fence;
import io.tedeesync.store.StoreException;
import io.tedeesync.sync.ChangeBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's group commit: several change batches in one transaction, their snapshot changes, then
 * their events with ids from the counter, then (PostgreSQL) a notification of the last id. With a
 * {@link Fence}, the batches of accounts whose lease this instance no longer holds are dropped and the
 * rest is written: an instance that lost a lease must not overwrite its successor's state, and an
 * error would make the engine retry the same batches forever.
 *
 * <p>Not thread-safe but for {@link #fence(Fence)} and {@link #fencedBatches()}: {@link #commit} runs
 * under the store's write lock, one at a time.
 */
public final class BatchWriter {
    /** The channel of {@code pg_notify}; the payload is the highest event id the transaction appended. */
    public static final String CHANNEL = "tedee_sync_events";
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Database database;
    private final boolean postgres;
    private final LongSupplier nanoTime;
    private final LongConsumer highestId;
    private final AtomicLong fencedBatches = new AtomicLong();
    private final Map<String, Long> warnedAt = new HashMap<>();
    private volatile Fence fence;

    /**
     * @param nanoTime  a monotonic clock, for saying each dropped account's WARN once a minute only
     * @param highestId told every highest event id this writer learns: of its commits, and the counter's
     *                  after a failure
     */
    public BatchWriter(Database database, LongSupplier nanoTime, LongConsumer highestId) {
        this.database = database;
        this.postgres = database.isPostgres();
        this.nanoTime = nanoTime;
        this.highestId = highestId;
    }

    /** Fences the commits from the next one on. */
    public void fence(Fence fence) {
        this.fence = fence;
    }

    /** Batches dropped so far because their account's lease was not held. */
    public long fencedBatches() {
        return fencedBatches.get();
    }

    /**
     * Writes the batches, in order, in one transaction; batches with nothing in them are skipped.
     *
     * @throws StoreException when the transaction failed and was rolled back (none of them is stored)
     */
    public void commit(List<ChangeBatch> batches) {
        List<ChangeBatch> work = batches.stream()
                .filter(batch -> !(batch.events().isEmpty() && batch.changed().isEmpty() && batch.removed().isEmpty()))
                .toList();
        if (work.isEmpty()) {
            return;
        }
        try (Connection connection = database.connection()) {
            long lastId = commit(connection, work);
            if (lastId > 0) {
                highestId.accept(lastId);
            }
        } catch (SQLException e) {
            recover();
            throw database.failure(what(work), e);
        } catch (RuntimeException e) {
            throw new StoreException("could not " + what(work) + " in " + database.description() + ": " + e, e);
        }
    }

    private long commit(Connection connection, List<ChangeBatch> batches) throws SQLException {
        Fence current = fence;
        String owner = current == null ? null : current.owner();
        // Asked before the transaction: the fence is the caller's code, and row locks wait on nobody's code.
        Map<String, OptionalLong> tokens = new LinkedHashMap<>();
        if (current != null) {
            for (ChangeBatch batch : batches) {
                tokens.computeIfAbsent(batch.account(), current::token);
            }
        }
        Written written = Transactions.run(connection, transaction -> write(transaction, batches, owner, tokens));
        if (!written.dropped().isEmpty()) {
            fencedBatches.addAndGet(written.dropped().size());
            warnDropped(owner, written.dropped());
        }
        return written.lastId();
    }

    private Written write(Connection connection, List<ChangeBatch> batches, String owner, Map<String, OptionalLong> tokens)
            throws SQLException {
        Set<String> held = owner == null ? null : LeaseTable.heldForShare(connection, owner, tokens);
        List<ChangeBatch> kept = new ArrayList<>(batches.size());
        List<ChangeBatch> dropped = new ArrayList<>();
        for (ChangeBatch batch : batches) {
            (held == null || held.contains(batch.account()) ? kept : dropped).add(batch);
        }
        int events = 0;
        for (ChangeBatch batch : kept) {
            SnapshotTable.upsert(connection, batch.changed());
            // After the upserts: a serial the batch names as removed is gone, whatever else it says.
            SnapshotTable.delete(connection, batch.account(), batch.removed());
            events += batch.events().size();
        }
        if (events == 0) {
            return new Written(0, dropped);
        }
        // Last: the counter's row lock orders the appenders of every instance until this one commits.
        long next = EventLogTable.takeIds(connection, events);
        for (ChangeBatch batch : kept) {
            EventLogTable.insert(connection, next, batch.events());
            next += batch.events().size();
        }
        long lastId = next - 1;
        if (postgres) {
            // Delivered at commit, in commit order, to every instance that listens.
            try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, Long.toString(lastId));
                notify.execute();
            }
        }
        return new Written(lastId, dropped);
    }

    private void warnDropped(String owner, List<ChangeBatch> dropped) {
        long now = nanoTime.getAsLong();
        warnedAt.values().removeIf(at -> now - at >= WARN_EVERY_NANOS);
        Map<String, Integer> byAccount = new LinkedHashMap<>();
        dropped.forEach(batch -> byAccount.merge(batch.account(), 1, Integer::sum));
        byAccount.forEach((account, count) -> {
            if (warnedAt.putIfAbsent(account, now) == null) {
                log.warn("Dropped {} change batch(es) of account {}: {} does not hold its lease (any more); "
                        + "not written, not retried (said once a minute per account)", count, account, owner);
            }
        });
    }

    /**
     * After a failed write: a row written behind the store's back with an id the counter has not given
     * is the usual reason. Raise the counter above it, so that one such row fails one batch, not all.
     */
    private void recover() {
        try (Connection connection = database.connection()) {
            highestId.accept(Transactions.run(connection, EventLogTable::catchUp));
        } catch (SQLException e) {
            log.debug("Could not re-read the last event id of {}: {}", database.description(), e.getMessage());
        }
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

    /** What one transaction wrote: the last event id (0: none) and the batches it dropped. */
    private record Written(long lastId, List<ChangeBatch> dropped) {
    }
}
