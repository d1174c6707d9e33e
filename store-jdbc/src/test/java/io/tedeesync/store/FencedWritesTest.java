package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.adding;
import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static io.tedeesync.store.Fixtures.moving;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tedeesync.client.LockState;
import io.tedeesync.store.internal.BatchWriter;
import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.CallHistory;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.MirroredLock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two stores on one PostgreSQL database, as two instances of a cluster: each writes only the accounts
 * it holds the lease of, and event ids are one sequence in commit order across both.
 */
class FencedWritesTest {
    private final ClusterDatabase database = new ClusterDatabase();
    private final LockStore first = database.open();
    private final LockStore second = database.open();
    private final ClusterStore cluster = first.cluster(Clock.systemUTC());

    @AfterEach
    void close() {
        database.close();
    }

    /** The fence of one instance: the tokens it acquired, changed by the test as leases come and go. */
    private record Tokens(String owner, Map<String, Long> held) implements Fence {
        Tokens(String owner) {
            this(owner, new ConcurrentHashMap<>());
        }

        @Override
        public OptionalLong token(String account) {
            Long token = held.get(account);
            return token == null ? OptionalLong.empty() : OptionalLong.of(token);
        }

        void acquired(Lease lease) {
            held.put(lease.account(), lease.fencing());
        }
    }

    private static List<ILoggingEvent> warnings(Runnable work) {
        Logger logger = (Logger) LoggerFactory.getLogger(BatchWriter.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            work.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().filter(event -> event.getLevel() == Level.WARN).toList();
    }

    @Test
    void afterATakeoverTheOldOwnersBatchIsDroppedAndTheRestOfItsGroupAndTheNewOwnersAreWritten() {
        MirroredLock door = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        MirroredLock gate = lock("cabin", "SN-GATE", 2, LockState.LOCKED);
        cluster.addAccounts(List.of("home", "cabin"));
        Tokens a = new Tokens("a");
        Tokens b = new Tokens("b");
        first.fence(a);
        second.fence(b);
        a.acquired(cluster.acquire("home", "a", Duration.ofMillis(200)).orElseThrow());
        a.acquired(cluster.acquire("cabin", "a", Duration.ofSeconds(30)).orElseThrow());
        first.onChanges(adding(door, at(1)));
        await().until(() -> cluster.acquire("home", "b", Duration.ofSeconds(30)).map(lease -> {
            b.acquired(lease);
            return true;
        }).orElse(false));
        ChangeBatch staleMove = moving(door, LockState.UNLOCKED, at(2));
        ChangeBatch successorsMove = moving(door, LockState.SEMI_LOCKED, at(3));

        List<ILoggingEvent> warnings = warnings(() -> {
            first.onBatches(List.of(staleMove, adding(gate, at(2))));
            second.onChanges(successorsMove);
            first.onChanges(moving(door, LockState.LOCKED, at(4)));
        });

        assertThat(first.fencedBatches()).isEqualTo(2);
        assertThat(second.fencedBatches()).isZero();
        assertThat(second.events(EventQuery.after(0, 10))).extracting(StoredEvent::id, StoredEvent::account,
                StoredEvent::type, StoredEvent::observedAt).containsExactly(
                tuple(1L, "home", "Added", at(1)), tuple(2L, "cabin", "Added", at(2)),
                tuple(3L, "home", "StateChanged", at(3)));
        assertThat(second.loadLocks()).isEqualTo(Map.of("home", successorsMove.changed(), "cabin", List.of(gate)));
        assertThat(warnings).as("once a minute per account").singleElement()
                .satisfies(warning -> assertThat(warning.getFormattedMessage()).contains("account home", "a does not hold"));
    }

    @Test
    void aReleasedLeaseStopsTheWritesOfItsOwnerAndIsAcquiredWithItsHistory() {
        MirroredLock door = lock("home", "SN-DOOR", 1, LockState.LOCKED);
        cluster.addAccounts(List.of("home"));
        Tokens a = new Tokens("a");
        Tokens b = new Tokens("b");
        first.fence(a);
        second.fence(b);
        Lease lease = cluster.acquire("home", "a", Duration.ofSeconds(30)).orElseThrow();
        a.acquired(lease);
        first.onChanges(adding(door, at(1)));
        CallHistory history = new CallHistory(at(1), null, new java.util.TreeMap<>(Map.of(at(0), 4)));
        assertThat(cluster.release("home", "a", lease.fencing(), history)).isTrue();

        first.onChanges(moving(door, LockState.UNLOCKED, at(2)));
        second.onChanges(moving(door, LockState.UNLOCKED, at(3)));
        Lease next = second.cluster(Clock.systemUTC()).acquire("home", "b", Duration.ofSeconds(30)).orElseThrow();
        b.acquired(next);
        second.onChanges(moving(door, LockState.SEMI_LOCKED, at(4)));

        assertThat(first.fencedBatches()).isEqualTo(1);
        assertThat(second.fencedBatches()).as("b before it acquired").isEqualTo(1);
        assertThat(first.events(EventQuery.after(0, 10))).extracting(StoredEvent::id, StoredEvent::observedAt)
                .containsExactly(tuple(1L, at(1)), tuple(2L, at(4)));
        assertThat(next.fencing()).isEqualTo(2);
        assertThat(next.history().requestsPerMinute()).isEqualTo(history.requestsPerMinute());
        assertThat(next.history().lastSyncAt()).isBetween(at(1), at(1).plusSeconds(1));
    }

    @Test
    void aWriteWaitsForATakeoverInProgressAndThenDropsTheBatch() throws Exception {
        cluster.addAccounts(List.of("home"));
        Tokens a = new Tokens("a");
        first.fence(a);
        a.acquired(cluster.acquire("home", "a", Duration.ofSeconds(30)).orElseThrow());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection takeover = database.raw(); Statement statement = takeover.createStatement()) {
            takeover.setAutoCommit(false);
            statement.executeUpdate("UPDATE account_lease SET owner = 'b', fencing = fencing + 1 WHERE account = 'home'");

            Future<?> write = thread.submit(() -> first.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1))));
            // The fence's FOR SHARE waits for the takeover's row lock; a plain read would not wait, and write.
            await().until(() -> database.number("SELECT COUNT(*) FROM pg_locks WHERE NOT granted") > 0);
            assertThat(write).isNotDone();
            takeover.commit();
            write.get(10, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }

        assertThat(first.fencedBatches()).isEqualTo(1);
        assertThat(first.events(EventQuery.after(0, 10))).isEmpty();
    }

    @Test
    void withoutAFenceEveryAccountIsWrittenLeaseOrNot() {
        cluster.addAccounts(List.of("home"));
        cluster.acquire("home", "someone-else", Duration.ofSeconds(30)).orElseThrow();

        first.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
        first.onChanges(adding(lock("nowhere", "SN-2", 2, LockState.LOCKED), at(2)));

        assertThat(first.events(EventQuery.after(0, 10))).extracting(StoredEvent::account).containsExactly("home", "nowhere");
        assertThat(first.fencedBatches()).isZero();
    }

    @Test
    void aFenceThatFailsFailsTheWriteWithoutWritingAnything() {
        first.fence(new Fence() {
            @Override
            public String owner() {
                return "a";
            }

            @Override
            public OptionalLong token(String account) {
                throw new IllegalStateException("coordinator stopped");
            }
        });

        assertThatThrownBy(() -> first.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1))))
                .isInstanceOf(StoreException.class).hasMessageContaining("coordinator stopped");
        assertThat(first.events(EventQuery.after(0, 10))).isEmpty();
    }

    @Test
    void twoStoresWritingAtOnceGiveIdsInCommitOrderWithoutGapsAndAPagingReaderSeesEveryOne() throws Exception {
        int batches = 300;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> writers = new ArrayList<>();
            for (LockStore store : List.of(first, second)) {
                String account = store == first ? "first" : "second";
                writers.add(threads.submit(() -> {
                    start.await();
                    MirroredLock door = lock(account, "SN-" + account, 1, LockState.LOCKED);
                    for (int batch = 0; batch < batches; batch++) {
                        ChangeBatch moved = moving(door, batch % 2 == 0 ? LockState.UNLOCKED : LockState.LOCKED, at(batch));
                        store.onChanges(new ChangeBatch(account, at(batch), List.of(moved.events().get(0),
                                new AccountEvent.AccountDegraded(account, at(batch), "batch " + batch)),
                                moved.changed(), Set.of()));
                    }
                    return null;
                }));
            }
            // Reads while they write, each page after the last id it saw, as an API client follows the log.
            Future<List<StoredEvent>> reader = threads.submit(() -> {
                List<StoredEvent> seen = new ArrayList<>();
                start.await();
                boolean last = false;
                while (!last) {
                    last = !writing.get();
                    List<StoredEvent> page;
                    do {
                        long after = seen.isEmpty() ? 0 : seen.get(seen.size() - 1).id();
                        page = first.events(EventQuery.after(after, 50));
                        seen.addAll(page);
                    } while (!page.isEmpty());
                }
                return seen;
            });
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            List<StoredEvent> seen = reader.get(60, TimeUnit.SECONDS);

            int expected = 2 * batches * 2;
            assertThat(seen).extracting(StoredEvent::id).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, expected).boxed().toList());
            assertThat(Math.max(first.lastEventId(), second.lastEventId())).isEqualTo(expected);
            Map<String, Integer> nextBatch = new HashMap<>();
            for (int i = 0; i < seen.size(); i += 2) {
                StoredEvent move = seen.get(i);
                StoredEvent numbered = seen.get(i + 1);
                assertThat(move.type()).isEqualTo("StateChanged");
                assertThat(numbered.account()).as("a batch's events side by side").isEqualTo(move.account());
                int batch = nextBatch.merge(move.account(), 1, Integer::sum) - 1;
                assertThat(LockStoreContract.json(numbered).get("reason").asText()).isEqualTo("batch " + batch);
            }
            assertThat(nextBatch).containsOnly(Map.entry("first", batches), Map.entry("second", batches));
        } finally {
            threads.shutdownNow();
        }
    }
}
