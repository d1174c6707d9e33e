package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.LockState;
import io.tedeesync.client.webhook.LockStatusChanged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A 2xx means "in the store": a failed write is kept, in order, and retried until the store takes it. */
class DurableDeliveryTest {
    private final EngineHarness harness = new EngineHarness();
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final List<SyncEvent> stored = Collections.synchronizedList(new ArrayList<>());
    private final List<SyncEvent> others = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        harness.close();
    }

    private List<String> start() {
        List<String> serials = harness.account("home", "key-home", 2);
        harness.start(b -> b.account(harness.config("home", "key-home"))
                .durableListener(batch -> {
                    if (storeDown.get()) {
                        throw new IllegalStateException("database is locked");
                    }
                    stored.addAll(batch.events());
                })
                .listener(SyncListener.forEvents(others::add)));
        harness.advance(Duration.ofSeconds(25));
        return serials;
    }

    private LockStatusChanged unlocked(String serial) {
        long id = harness.engine.lock(serial).orElseThrow().id();
        return new LockStatusChanged("lock-status-changed", harness.time.instant(), "user-1", id, harness.time.instant(), 2, 2, 0);
    }

    private List<LockEvent.StateChanged> storedStateChanges() {
        synchronized (stored) {
            return stored.stream().filter(LockEvent.StateChanged.class::isInstance).map(LockEvent.StateChanged.class::cast).toList();
        }
    }

    @Test
    void aStoreThatHangsDoesNotKeepASyncWaiterWaitingPastTheDeliveryWait() throws Exception {
        List<String> serials = harness.account("home", "key-home", 1);
        java.util.concurrent.CountDownLatch storeHangs = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService storeThread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            harness.start(b -> b.account(harness.config("home", "key-home")).deliveryExecutor(storeThread).durableListener(batch -> {
                try {
                    storeHangs.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            harness.advance(Duration.ofSeconds(12));
            CompletableFuture<MirroredLock> synced = harness.engine.requestSync(serials.get(0));

            harness.advance(Duration.ofSeconds(5)); // synced at once; the store has not taken the list's changes
            assertThat(synced).as("waits for the store first").isNotDone();
            harness.advance(Duration.ofSeconds(10));

            assertThat(synced).as("told after the delivery wait, store or not").isCompleted();
        } finally {
            storeHangs.countDown();
            storeThread.shutdownNow();
        }
    }

    @Test
    void whatQueuedWhileTheStoreWasDownIsOfferedAsOneGroupInOrder() {
        List<String> serials = harness.account("home", "key-home", 3);
        List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
        harness.start(b -> b.account(harness.config("home", "key-home")).durableListener(new SyncListener() {
            @Override
            public void onChanges(ChangeBatch batch) {
                onBatches(List.of(batch));
            }

            @Override
            public void onBatches(List<ChangeBatch> batches) {
                if (storeDown.get()) {
                    throw new IllegalStateException("database is locked");
                }
                groupSizes.add(batches.size());
                batches.forEach(batch -> stored.addAll(batch.events()));
            }
        }));
        harness.advance(Duration.ofSeconds(5));
        storeDown.set(true);
        for (String serial : serials) {
            harness.engine.acceptWebhook(unlocked(serial)); // three batches wait behind the failed write
        }
        groupSizes.clear();
        storeDown.set(false);
        harness.advance(Duration.ofSeconds(5)); // the engine's retry

        assertThat(groupSizes).as("one write for everything that waited").containsExactly(3);
        assertThat(storedStateChanges()).extracting(LockEvent.StateChanged::serialNumber).containsExactlyElementsOf(serials);
    }

    @Test
    void aWebhookWhoseWriteFailedIsNotAcknowledgedAndItsRetryIsStored() {
        List<String> serials = start();
        storeDown.set(true);
        LockStatusChanged webhook = unlocked(serials.get(0));

        WebhookOutcome first = harness.engine.acceptWebhook(webhook);
        WebhookOutcome retryWhileDown = harness.engine.acceptWebhook(webhook);
        storeDown.set(false);
        harness.advance(Duration.ofSeconds(5)); // the engine's own retry of the write
        WebhookOutcome retryAfter = harness.engine.acceptWebhook(webhook);

        assertThat(first).isEqualTo(WebhookOutcome.NOT_DELIVERED);
        assertThat(retryWhileDown).as("the mirror has it, the store not yet: still no 2xx").isEqualTo(WebhookOutcome.NOT_DELIVERED);
        assertThat(retryAfter).as("a duplicate of what is now stored").isEqualTo(WebhookOutcome.STALE);
        assertThat(storedStateChanges()).singleElement().satisfies(e -> assertThat(e.to()).isEqualTo(LockState.UNLOCKED));
    }

    @Test
    void aSyncResultWhoseWriteFailedReachesTheStoreWithoutAnotherChange() {
        List<String> serials = start();
        storeDown.set(true);
        harness.simulator.setLockState(serials.get(1), 2);
        harness.advance(Duration.ofSeconds(25)); // a sync-all sees it; the write fails
        assertThat(storedStateChanges()).isEmpty();
        assertThat(others).as("the other listeners wait for the store: the stream shows only what is written")
                .noneMatch(LockEvent.StateChanged.class::isInstance);

        storeDown.set(false);
        harness.advance(Duration.ofSeconds(35)); // no new change: the retry alone must write it

        assertThat(storedStateChanges()).singleElement().satisfies(e -> {
            assertThat(e.serialNumber()).isEqualTo(serials.get(1));
            assertThat(e.to()).isEqualTo(LockState.UNLOCKED);
        });
        assertThat(others).filteredOn(LockEvent.StateChanged.class::isInstance).hasSize(1);
    }

    @Test
    void aWebhookForASharedLockIsRefusedWhenOneOfItsAccountsCouldNotWriteIt() {
        harness.account("home", "key-home", 1);
        harness.simulator.addAccount("office", "key-office");
        harness.simulator.shareLock("HOME-00001", "office");
        harness.start(b -> b.account(harness.config("home", "key-home")).account(harness.config("office", "key-office"))
                .durableListener(batch -> {
                    if (storeDown.get() && batch.account().equals("office")) {
                        throw new IllegalStateException("database is locked");
                    }
                    stored.addAll(batch.events());
                }));
        harness.advance(Duration.ofSeconds(25));
        storeDown.set(true);
        long id = harness.engine.locks().get(0).id();

        WebhookOutcome outcome = harness.engine.acceptWebhook(new LockStatusChanged("lock-status-changed", harness.time.instant(),
                "someone", id, harness.time.instant(), 2, 2, 0));

        assertThat(harness.engine.locks()).as("both accounts mirror the shared lock").hasSize(2);
        assertThat(outcome).as("home wrote it, office did not: no 2xx").isEqualTo(WebhookOutcome.NOT_DELIVERED);
    }

    @Test
    void laterChangesWaitBehindAFailedWriteSoTheStoreSeesThemInOrder() {
        List<String> serials = start();
        storeDown.set(true);
        harness.engine.acceptWebhook(unlocked(serials.get(0)));
        harness.advance(Duration.ofSeconds(1));
        long id = harness.engine.lock(serials.get(0)).orElseThrow().id();
        harness.engine.acceptWebhook(new LockStatusChanged("lock-status-changed", harness.time.instant(), "user-1", id,
                harness.time.instant(), 2, 6, 0));
        storeDown.set(false);
        harness.advance(Duration.ofSeconds(40));

        assertThat(storedStateChanges()).extracting(LockEvent.StateChanged::to).containsExactly(LockState.UNLOCKED, LockState.LOCKED);
    }
}
