package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.LockState;
import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.MirroredLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads writing into the embedded file at once. */
class SqliteConcurrencyTest {
    private static final int THREADS = 4;
    private static final int BATCHES = 500;

    @TempDir
    Path dataDir;

    @Test
    void fourThreadsOfFiveHundredBatchesEachLoseNothingAndGetUniqueIdsInTheirOwnOrder() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(THREADS);
        try (LockStore store = LockStore.open(StoreConfig.sqlite(dataDir))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                String account = "account-" + thread;
                done.add(writers.submit(() -> {
                    start.await();
                    MirroredLock door = lock(account, "SN-" + account, 1, LockState.LOCKED);
                    for (int batch = 0; batch < BATCHES; batch++) {
                        // Two events per batch: the lock's move, and an account event numbering the batch.
                        ChangeBatch moved = Fixtures.moving(door, batch % 2 == 0 ? LockState.UNLOCKED : LockState.LOCKED,
                                at(batch));
                        store.onChanges(new ChangeBatch(account, at(batch),
                                List.of(moved.events().get(0),
                                        new AccountEvent.AccountDegraded(account, at(batch), "batch " + batch)),
                                moved.changed(), Set.of()));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }

            List<StoredEvent> all = new ArrayList<>();
            for (List<StoredEvent> page = store.events(EventQuery.after(0, 1000)); !page.isEmpty();
                    page = store.events(EventQuery.after(page.get(page.size() - 1).id(), 1000))) {
                all.addAll(page);
            }

            int expected = THREADS * BATCHES * 2;
            assertThat(all).hasSize(expected);
            assertThat(all).extracting(StoredEvent::id).doesNotHaveDuplicates().isSorted()
                    .startsWith(1L).endsWith((long) expected);
            assertThat(store.lastEventId()).isEqualTo(expected);
            // Each thread's batches were written in the order it sent them, its two events side by side.
            Map<String, Integer> nextBatch = new HashMap<>();
            for (int i = 0; i < all.size(); i += 2) {
                StoredEvent move = all.get(i);
                StoredEvent numbered = all.get(i + 1);
                assertThat(move.type()).isEqualTo("StateChanged");
                assertThat(numbered.account()).isEqualTo(move.account());
                int batch = nextBatch.merge(move.account(), 1, Integer::sum) - 1;
                assertThat(LockStoreContract.json(numbered).get("reason").asText()).isEqualTo("batch " + batch);
            }
            assertThat(nextBatch).hasSize(THREADS).allSatisfy((account, count) -> assertThat(count).isEqualTo(BATCHES));
            assertThat(store.loadLocks()).hasSize(THREADS);
        } finally {
            writers.shutdownNow();
        }
    }
}
