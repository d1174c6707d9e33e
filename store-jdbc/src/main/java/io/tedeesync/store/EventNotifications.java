package io.tedeesync.store;

import io.tedeesync.store.internal.BatchWriter;
import io.tedeesync.store.internal.Database;
import io.tedeesync.store.internal.EventLogTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when any instance on the database appended events: from {@link LockStore#listen}, a daemon
 * thread {@value #THREAD_NAME} on a PostgreSQL connection of its own (not one of the pool's) that
 * {@code LISTEN}s to the channel every write transaction notifies at commit. The callback gets the
 * highest id notified; after every (re)connection it gets the counter's current value, so that nothing
 * written while it was away is missed. A lost connection is one WARN line, then attempts 1 s to 30 s
 * apart until it is back.
 *
 * <p>The callback runs on that thread, one call at a time, with ids that never go down across calls
 * but may repeat; it must be fast and should not throw (what it throws is logged). Thread-safe;
 * {@link #close()} stops the thread within a second.
 */
public final class EventNotifications implements AutoCloseable {
    /** The name of the listening thread. */
    public static final String THREAD_NAME = "tedee-sync-listen";
    private static final Logger log = LoggerFactory.getLogger(EventNotifications.class);
    // How long one wait for notifications blocks: the longest close() waits for the thread to notice.
    private static final int POLL_MILLIS = 250;
    // A quiet connection is asked a question this often, so that a dead one is found (and a notification
    // lost on the way is made up for by the counter it reads).
    private static final long PROBE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final Database database;
    private final LongConsumer onEvents;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean connected;
    private long highestDelivered;

    private EventNotifications(Database database, LongConsumer onEvents) {
        this.database = database;
        this.onEvents = onEvents;
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    static EventNotifications start(Database database, LongConsumer onEvents) {
        EventNotifications notifications = new EventNotifications(database, onEvents);
        notifications.thread.start();
        return notifications;
    }

    /** Whether it is listening now (false while it reconnects, and after {@link #close()}). */
    public boolean isConnected() {
        return connected;
    }

    /** Stops listening and waits (up to a second) for the thread to end. Idempotent. */
    @Override
    public void close() {
        closed.countDown();
        if (Thread.currentThread() == thread) {
            return; // closed by its own callback: the loop ends when the callback returns
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // Only while it connects (which may take the driver's timeout); the daemon thread ends after.
            thread.interrupt();
        }
    }

    @Override
    public String toString() {
        return "EventNotifications[" + database.description() + (connected ? ", listening" : "") + "]";
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        boolean lost = false;
        while (!isClosed()) {
            try (Connection connection = database.dedicatedConnection(THREAD_NAME)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + BatchWriter.CHANNEL);
                }
                // Read after LISTEN: a commit between the two is then both counted and notified, never neither.
                long current = EventLogTable.highestId(connection);
                connected = true;
                if (lost) {
                    log.info("Listening for the events of {} again", database.description());
                }
                lost = false;
                retry = FIRST_RETRY;
                deliver(current, true);
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                connected = false;
                if (isClosed()) {
                    break;
                }
                if (!lost) {
                    log.warn("Not listening for the events of {}: {}; trying again, 1 s to 30 s apart",
                            database.description(), database.reason(e));
                    lost = true;
                } else {
                    log.debug("Still not listening for events: {}", e.getMessage());
                }
                if (await(retry)) {
                    break;
                }
                retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
            }
        }
        connected = false;
    }

    private void listen(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (!isClosed()) {
            PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
            long highest = 0;
            for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
                try {
                    highest = Math.max(highest, Long.parseLong(notification.getParameter()));
                } catch (NumberFormatException e) {
                    log.debug("Ignored a notification on {} that is no event id: {}", BatchWriter.CHANNEL,
                            notification.getParameter());
                }
            }
            if (highest > 0) {
                deliver(highest, false);
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= PROBE_AFTER_NANOS) {
                deliver(EventLogTable.highestId(connection), false);
                quietSince = System.nanoTime();
            }
        }
    }

    /** Calls back with {@code id}: always after a (re)connection, else only when it is news. */
    private void deliver(long id, boolean connecting) {
        if (!connecting && id <= highestDelivered) {
            return;
        }
        highestDelivered = Math.max(highestDelivered, id);
        try {
            onEvents.accept(highestDelivered);
        } catch (RuntimeException e) {
            log.warn("The event listener of {} failed on event id {}", database.description(), highestDelivered, e);
        }
    }

    /** Waits for the retry delay; true when closed meanwhile. */
    private boolean await(Duration delay) {
        try {
            return closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
