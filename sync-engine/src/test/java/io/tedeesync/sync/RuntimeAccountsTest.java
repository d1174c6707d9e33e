package io.tedeesync.sync;

import static io.tedeesync.sync.EngineHarness.isGetAll;
import static io.tedeesync.sync.EngineHarness.isSyncAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tedeesync.client.Endpoint;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.webhook.LockStatusChanged;
import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Accounts added, removed and re-paced while the engine runs, against the simulated cloud in virtual
 * time: no restart, nothing left of a removed account, nothing published for it after its removal.
 */
class RuntimeAccountsTest {
    private final EngineHarness harness = new EngineHarness();
    private final List<ChangeBatch> batches = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        harness.close();
    }

    private AccountStatus status(String account) {
        return harness.engine.accounts().stream().filter(a -> a.name().equals(account)).findFirst().orElseThrow();
    }

    private List<ChangeBatch> batchesOf(String account) {
        synchronized (batches) {
            return batches.stream().filter(batch -> batch.account().equals(account)).toList();
        }
    }

    private LockStatusChanged statusWebhook(String user, long deviceId, int state) {
        return new LockStatusChanged("lock-status-changed", harness.time.instant(), user, deviceId, harness.time.instant(), 2, state, 0);
    }

    private List<RecordedRequest> syncAllsOf(String account, Instant from, Instant to) {
        return harness.requests(account).stream().filter(EngineHarness::isSyncAll)
                .filter(r -> !r.at().isBefore(from) && !r.at().isAfter(to)).toList();
    }

    /** A seed as a store would have saved it: the lock as a list once showed it. */
    private static List<MirroredLock> seed(String account, long id, String serial) {
        Mirror saved = new Mirror(account);
        saved.apply(new Observation.LockList(List.of(Locks.lock(id, serial).build())), EngineHarness.START.minus(Duration.ofDays(1)));
        return saved.locks();
    }

    // ---- adding ----

    @Test
    void addedAccountSyncsWithoutRestart() {
        List<String> serials = harness.account("home", "key-home", 2);
        harness.start(b -> b); // a service may start with no account at all
        harness.advance(Duration.ofMinutes(1));
        assertThat(harness.engine.accounts()).isEmpty();

        harness.engine.addAccount(harness.config("home", "key-home"), List.of());
        harness.advance(Duration.ofSeconds(45));

        assertThat(harness.engine.locks()).extracting(MirroredLock::serialNumber).containsExactlyInAnyOrderElementsOf(serials);
        assertThat(harness.events(LockEvent.Added.class)).hasSize(2);
        assertThat(harness.requests("home")).filteredOn(EngineHarness::isGetAll).hasSize(1);
        assertThat(harness.requests("home")).filteredOn(EngineHarness::isSyncAll).as("at +20 s and +40 s").hasSize(2);
        assertThat(status("home").health()).isEqualTo(AccountHealth.OK);
    }

    @Test
    void addedAccountsAreListedAfterTheOnesAlreadyThere() {
        harness.account("home", "key-home", 1);
        harness.account("office", "key-office", 1);
        harness.account("rentals", "key-rentals", 1);
        harness.start(b -> b.account(harness.config("office", "key-office")));

        harness.engine.addAccount(harness.config("rentals", "key-rentals"), List.of());
        harness.engine.addAccount(harness.config("home", "key-home"), List.of());
        harness.advance(Duration.ofSeconds(5));

        assertThat(harness.engine.accounts()).extracting(AccountStatus::name).containsExactly("office", "rentals", "home");
        assertThat(harness.engine.snapshot().accounts()).extracting(AccountStatus::name).containsExactly("office", "rentals", "home");
    }

    @Test
    void addedAccountBeforeStartWaitsForStart() {
        List<String> serials = harness.account("home", "key-home", 1);
        harness.build(b -> b);
        harness.engine.addAccount(harness.config("home", "key-home"), seed("home", 99, serials.get(0)));
        harness.advance(Duration.ofMinutes(1));

        assertThat(harness.requests("home")).as("not started yet").isEmpty();
        MirroredLock seeded = harness.engine.lock(serials.get(0)).orElseThrow();
        assertThat(harness.engine.isStale(seeded, harness.time.instant())).as("what the store knew is stale until synced").isTrue();

        harness.engine.start();
        harness.advance(Duration.ofSeconds(5));

        assertThat(harness.requests("home")).hasSize(1).allMatch(EngineHarness::isGetAll);
        MirroredLock listed = harness.engine.lock(serials.get(0)).orElseThrow();
        assertThat(listed.id()).as("the simulator's id, not the seed's").isEqualTo(harness.simulator.lock(serials.get(0)).id());
        assertThat(harness.engine.isStale(listed, harness.time.instant())).isFalse();
    }

    @Test
    void addingATakenNameIsRefused() {
        harness.account("home", "key-home", 1);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(5));

        assertThatThrownBy(() -> harness.engine.addAccount(harness.config("home", "key-other"), seed("home", 7, "GHOST-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("account home exists");

        assertThat(harness.engine.lock("GHOST-1")).as("the refused account's seed went nowhere").isEmpty();
        assertThat(harness.engine.accounts()).singleElement().satisfies(a -> assertThat(a.locks()).isEqualTo(1));
        harness.advance(Duration.ofSeconds(20));
        assertThat(harness.requests("home")).as("the account there keeps syncing").anyMatch(EngineHarness::isSyncAll);
    }

    // ---- removing ----

    @Test
    void removedAccountDisappearsFromEveryView() {
        List<String> home = harness.account("home", "key-home", 2);
        List<String> office = harness.account("office", "key-office", 1);
        harness.start(b -> b.account(harness.config("home", "key-home")).account(harness.config("office", "key-office")));
        harness.advance(Duration.ofSeconds(25));
        String serial = home.get(0);
        assertThat(harness.engine.lock(serial)).isPresent();

        CompletableFuture<Boolean> removed = harness.engine.removeAccount("home");

        assertThat(harness.engine.accounts()).extracting(AccountStatus::name).containsExactly("office");
        assertThat(harness.engine.account("home")).isEmpty();
        assertThat(harness.engine.account("office")).map(AccountStatus::name).contains("office");
        assertThat(harness.engine.locks()).extracting(MirroredLock::serialNumber).containsExactlyElementsOf(office);
        assertThat(harness.engine.lock(serial)).isEmpty();
        EngineSnapshot snapshot = harness.engine.snapshot();
        assertThat(snapshot.accounts()).extracting(AccountStatus::name).containsExactly("office");
        assertThat(snapshot.locks()).extracting(MirroredLock::serialNumber).containsExactlyElementsOf(office);
        assertThat(harness.engine.syncAvailableIn(serial)).isEmpty();
        assertThat(harness.engine.requestSync(serial)).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("no lock " + serial);
        assertThat(harness.engine.operate(serial, OperationType.UNLOCK, null).join()).satisfies(outcome -> {
            assertThat(outcome.status()).isEqualTo(OperationOutcome.Status.REJECTED);
            assertThat(outcome.message()).isEqualTo("no lock " + serial);
        });
        assertThat(removed).isCompletedWithValue(true);
        assertThat(harness.engine.removeAccount("home")).as("gone already").isCompletedWithValue(false);
        assertThat(harness.engine.removeAccount("nobody")).isCompletedWithValue(false);

        int before = harness.requests("home").size();
        harness.advance(Duration.ofMinutes(2));
        assertThat(harness.requests("home")).as("no call after the removal").hasSize(before);
        assertThat(harness.requests("office")).as("the other account goes on").anyMatch(r -> r.at().isAfter(harness.time.instant().minusSeconds(30)));
    }

    @Test
    void removedAccountsPendingOperationIsToldItWasRemoved() {
        List<String> serials = harness.account("home", "key-home", 3);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(25)); // synced at +20 s: the floor holds single syncs until +30 s
        harness.time.hangAfter(Duration.ofMillis(300));
        harness.simulator.injectFault(Fault.aimedAt("POST", "/my/lock/{id}/operation/unlock", Fault.slow(Duration.ofSeconds(20))), 1);
        CompletableFuture<OperationOutcome> onItsWay = harness.engine.operate(serials.get(0), OperationType.UNLOCK, null);
        harness.time.runDue(); // the command leaves and gets no answer
        CompletableFuture<OperationOutcome> queued = harness.engine.operate(serials.get(1), OperationType.UNLOCK, null);
        CompletableFuture<MirroredLock> sync = harness.engine.requestSync(serials.get(2));
        batches.clear();
        harness.engine.addListener(batches::add);

        harness.engine.removeAccount("home");

        assertThat(queued).isCompleted();
        assertThat(queued.join().status()).isEqualTo(OperationOutcome.Status.REJECTED);
        assertThat(queued.join().message()).isEqualTo("account home was removed");
        assertThat(onItsWay.join().status()).isEqualTo(OperationOutcome.Status.TIMED_OUT);
        assertThat(onItsWay.join().message()).startsWith("account home was removed").contains("whether the lock moved is not known");
        assertThat(sync).isCompletedExceptionally();
        assertThatThrownBy(sync::join).isInstanceOf(CompletionException.class).hasMessageContaining("account home was removed")
                .hasMessageNotContaining("the engine stopped");

        harness.advance(Duration.ofMinutes(3)); // the command's deadline passes: its failure is not the removed account's news
        assertThat(batchesOf("home")).isEmpty();
    }

    @Test
    void lateAnswerOfRemovedAccountPublishesNothing() {
        List<String> serials = harness.account("home", "key-home", 1);
        AtomicBoolean removeOnSync = new AtomicBoolean();
        List<CompletableFuture<Boolean>> removals = Collections.synchronizedList(new ArrayList<>());
        AccountConfig home = harness.config("home", "key-home");
        // Told when the answer is in, before the engine gets it: the removal comes while the call is in flight.
        home.client().requestListener((endpoint, status, latency) -> {
            if (endpoint == Endpoint.SYNC_LOCKS && removeOnSync.compareAndSet(true, false)) {
                removals.add(harness.engine.removeAccount("home"));
            }
        });
        harness.start(b -> b.account(home).listener(batches::add));
        harness.advance(Duration.ofSeconds(5));
        harness.simulator.setLockState(serials.get(0), 2); // the next sync-all sees it unlocked
        removeOnSync.set(true);
        batches.clear();

        harness.advance(Duration.ofSeconds(20));

        assertThat(removals).as("removed while its sync-all was in flight").singleElement()
                .satisfies(removed -> assertThat(removed).isCompletedWithValue(true));
        assertThat(harness.requests("home")).as("the sync-all was answered").anyMatch(EngineHarness::isSyncAll);
        assertThat(batchesOf("home")).as("its answer is dropped").isEmpty();
        assertThat(harness.engine.lock(serials.get(0))).isEmpty();
    }

    @Test
    void removeCompletesAfterItsChangesReachedTheStore() throws Exception {
        List<String> serials = harness.account("home", "key-home", 1);
        CountDownLatch storeHangs = new CountDownLatch(1);
        AtomicBoolean slow = new AtomicBoolean();
        List<ChangeBatch> stored = Collections.synchronizedList(new ArrayList<>());
        ExecutorService storeThread = Executors.newSingleThreadExecutor();
        try {
            harness.start(b -> b.account(harness.config("home", "key-home")).deliveryExecutor(storeThread).durableListener(batch -> {
                if (slow.get()) {
                    try {
                        storeHangs.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                stored.add(batch);
            }));
            harness.advance(Duration.ofSeconds(5));
            slow.set(true);
            harness.simulator.setLockState(serials.get(0), 2);
            harness.advance(Duration.ofSeconds(20)); // the sync-all's change waits for the store

            CompletableFuture<Boolean> removed = harness.engine.removeAccount("home");
            CompletableFuture<Boolean> storedOnCompletion = removed.thenApply(done -> storedStateChange(stored));
            harness.advance(Duration.ofSeconds(5));
            assertThat(removed).as("its change is not written yet").isNotDone();

            storeHangs.countDown();

            assertThat(removed.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(storedOnCompletion.get(10, TimeUnit.SECONDS)).as("written when the removal completed").isTrue();
        } finally {
            storeHangs.countDown();
            storeThread.shutdownNow();
        }
    }

    private static boolean storedStateChange(List<ChangeBatch> stored) {
        synchronized (stored) {
            return stored.stream().flatMap(batch -> batch.events().stream()).anyMatch(LockEvent.StateChanged.class::isInstance);
        }
    }

    @Test
    void removeWaitsForAFailingStoreToTakeItsChanges() {
        List<String> serials = harness.account("home", "key-home", 1);
        AtomicBoolean storeDown = new AtomicBoolean();
        List<ChangeBatch> stored = Collections.synchronizedList(new ArrayList<>());
        harness.start(b -> b.account(harness.config("home", "key-home")).durableListener(batch -> {
            if (storeDown.get()) {
                throw new IllegalStateException("database is locked");
            }
            stored.add(batch);
        }));
        harness.advance(Duration.ofSeconds(5));
        storeDown.set(true);
        harness.simulator.setLockState(serials.get(0), 2);
        harness.advance(Duration.ofSeconds(15)); // the write of the sync-all's change fails at +20 s; retried at +21 s

        CompletableFuture<Boolean> removed = harness.engine.removeAccount("home");
        CompletableFuture<Boolean> storedOnCompletion = removed.thenApply(done -> storedStateChange(stored));
        harness.time.advance(Duration.ofMillis(1_500)); // the retry at +21 s fails too
        assertThat(removed).as("a purge now would be overtaken by a retried write").isNotDone();

        storeDown.set(false);
        harness.time.advance(Duration.ofMillis(1_500)); // the next retry, at +23 s, long before the delivery wait is over

        assertThat(removed).isCompletedWithValue(true);
        assertThat(storedOnCompletion).isCompletedWithValue(true);
    }

    @Test
    void removeDoesNotWaitForAStuckStoreLongerThanTheDeliveryWait() throws Exception {
        List<String> serials = harness.account("home", "key-home", 1);
        try (StuckStore store = new StuckStore()) {
            harness.start(b -> b.account(harness.config("home", "key-home")).deliveryExecutor(store.thread()).durableListener(store));
            harness.advance(Duration.ofSeconds(5));
            store.stick();
            harness.simulator.setLockState(serials.get(0), 2);
            harness.advance(Duration.ofSeconds(20));

            CompletableFuture<Boolean> removed = harness.engine.removeAccount("home");
            harness.advance(Duration.ofSeconds(9));
            assertThat(removed).isNotDone();
            harness.advance(Duration.ofSeconds(1));

            assertThat(removed).isCompletedExceptionally();
            assertThat(harness.engine.accounts()).as("removed all the same").isEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(removed::join).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class)
                    .hasMessageContaining("has not taken its last changes");
        }
    }

    @Test
    void webhookForRemovedAccountsDeviceIsUnknown() {
        List<String> home = harness.account("home", "key-home", 1);
        List<String> rentals = harness.account("rentals", "key-rentals", 1);
        harness.account("office", "key-office", 1);
        harness.start(b -> b.account(new AccountConfig("home", harness.config("home", "key-home").client(), null, "user-home"))
                .account(harness.config("rentals", "key-rentals")).account(harness.config("office", "key-office"))
                .listener(batches::add));
        harness.advance(Duration.ofSeconds(25));
        long homeDevice = harness.engine.lock(home.get(0)).orElseThrow().id();
        long rentalsDevice = harness.engine.lock(rentals.get(0)).orElseThrow().id();
        assertThat(harness.engine.acceptWebhook(statusWebhook("user-rentals", rentalsDevice, 2))).as("rentals' receiver learned")
                .isEqualTo(WebhookOutcome.APPLIED);

        harness.engine.removeAccount("home").join();
        harness.engine.removeAccount("rentals").join();
        batches.clear();

        assertThat(harness.engine.acceptWebhook(statusWebhook("user-home", homeDevice, 2))).isEqualTo(WebhookOutcome.UNKNOWN_DEVICE);
        assertThat(harness.engine.acceptWebhook(statusWebhook("user-rentals", rentalsDevice, 6))).isEqualTo(WebhookOutcome.UNKNOWN_DEVICE);
        assertThat(harness.engine.acceptWebhook(statusWebhook(null, homeDevice, 6))).isEqualTo(WebhookOutcome.UNKNOWN_DEVICE);
        assertThat(batchesOf("home")).isEmpty();
        assertThat(batchesOf("rentals")).isEmpty();
    }

    @Test
    void aRemovedNameCanBeAddedAgainAsANewAccount() {
        List<String> serials = harness.account("home", "key-home", 1);
        harness.account("office", "key-office", 1);
        harness.start(b -> b.account(new AccountConfig("home", harness.config("home", "key-home").client(), null, "user-home"))
                .account(harness.config("office", "key-office")));
        harness.advance(Duration.ofSeconds(25));
        harness.engine.removeAccount("home").join();
        harness.advance(Duration.ofMinutes(1));

        harness.engine.addAccount(harness.config("home", "key-home"), List.of()); // this time with no user identity
        harness.advance(Duration.ofSeconds(45));
        assertThat(harness.engine.lock(serials.get(0))).isPresent();
        assertThat(harness.requests("home")).filteredOn(EngineHarness::isGetAll).as("a new account loads its list").hasSize(2);

        harness.simulator.clearRequests();
        // A device no account knows, from the removed account's user: its receiver would refresh its list for it.
        assertThat(harness.engine.acceptWebhook(statusWebhook("user-home", 987_654, 6))).isEqualTo(WebhookOutcome.UNKNOWN_DEVICE);
        harness.advance(Duration.ofSeconds(40));
        assertThat(harness.requests("home")).as("user-home was the removed account's: it routes to nobody now").noneMatch(EngineHarness::isGetAll);
    }

    // ---- the interval ----

    @Test
    void aFailedAccountResumesWithReplacedCredentials() {
        harness.account("home", "key-home", 1);
        io.tedeesync.client.RotatableCredentials credentials =
                io.tedeesync.client.Credentials.rotatable(io.tedeesync.client.Credentials.personalKey("key-home"));
        harness.start(b -> b.account(new AccountConfig("home", harness.config("home", "key-home").client().credentials(credentials), null,
                null)));
        harness.advance(Duration.ofMinutes(1));
        harness.simulator.replaceKey("home", "key-home-2");
        harness.advance(Duration.ofMinutes(1));
        assertThat(status("home").health()).isEqualTo(AccountHealth.FAILED);
        int requestsWhileFailed = harness.requests("home").size();
        harness.advance(Duration.ofMinutes(5));
        assertThat(harness.requests("home")).as("a failed account is not called").hasSize(requestsWhileFailed);

        credentials.rotate(io.tedeesync.client.Credentials.personalKey("key-home-2"));
        assertThat(harness.engine.resumeAccount("home")).isTrue();
        assertThat(status("home").health()).isEqualTo(AccountHealth.DEGRADED);
        harness.advance(Duration.ofSeconds(30));

        assertThat(status("home").health()).isEqualTo(AccountHealth.OK);
        assertThat(harness.engine.resumeAccount("home")).as("only a failed account resumes").isFalse();
        assertThat(harness.engine.resumeAccount("nobody")).isFalse();
        assertThat(harness.simulator.syncCallsTooSoon()).isZero();
    }

    @Test
    void changeSyncIntervalTakesEffectAtOnce() {
        harness.account("home", "key-home", 2);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        Instant start = harness.time.instant();
        harness.advance(Duration.ofMinutes(10));
        Instant changed = harness.time.instant();
        assertThat(syncAllsOf("home", start, changed)).as("every 20 s").hasSize(30);
        RecordedRequest lastAt20 = syncAllsOf("home", start, changed).get(29);

        assertThat(harness.engine.changeSyncInterval("home", Duration.ofSeconds(60))).isTrue();
        harness.advance(Duration.ofMinutes(10));
        List<RecordedRequest> at60 = syncAllsOf("home", changed.plusMillis(1), harness.time.instant());
        assertThat(at60).as("every 60 s").hasSize(10);
        assertThat(Duration.between(lastAt20.at(), at60.get(0).at())).isEqualTo(Duration.ofSeconds(60));
        assertThat(status("home").syncInterval()).isEqualTo(Duration.ofSeconds(60));

        harness.advance(Duration.ofSeconds(30)); // half-way to the next sync-all
        Instant faster = harness.time.instant();
        harness.engine.changeSyncInterval("home", Duration.ofSeconds(20));
        harness.time.runDue();
        assertThat(syncAllsOf("home", faster, faster)).as("overdue at 20 s: at once, not at the old 60 s").hasSize(1);

        harness.engine.changeSyncInterval("home", Duration.ofSeconds(10));
        harness.advance(Duration.ofMinutes(5));
        List<RecordedRequest> at10 = syncAllsOf("home", faster, harness.time.instant());
        assertThat(at10).hasSize(31);
        for (int i = 1; i < at10.size(); i++) {
            assertThat(Duration.between(at10.get(i - 1).at(), at10.get(i).at())).as("the floor").isGreaterThanOrEqualTo(SyncSettings.SYNC_FLOOR);
        }
        assertThat(harness.simulator.syncCallsTooSoon()).isZero();

        harness.engine.changeSyncInterval("home", null);
        assertThat(status("home").syncInterval()).as("null: the engine's").isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void changeSyncIntervalBelowFloorIsRefused() {
        harness.account("home", "key-home", 1);
        harness.start(b -> b.account(harness.config("home", "key-home")));

        assertThatThrownBy(() -> harness.engine.changeSyncInterval("home", Duration.ofMillis(9_999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("account home: the sync interval must be at least 10s");
        assertThatThrownBy(() -> harness.engine.changeSyncInterval("home", Duration.ofSeconds(-20)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.engine.changeSyncInterval("home", Duration.ofDays(1).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1d");
        assertThatThrownBy(() -> new AccountConfig("x", harness.config("x", "k").client(), Duration.ofDays(400), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1d");
        assertThat(harness.engine.changeSyncInterval("home", Duration.ofDays(1))).isTrue();
        harness.engine.changeSyncInterval("home", null);
        assertThat(status("home").syncInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(harness.engine.changeSyncInterval("nobody", Duration.ofSeconds(30))).isFalse();
        assertThat(harness.engine.changeSyncInterval("home", SyncSettings.SYNC_FLOOR)).isTrue();
        assertThat(status("home").syncInterval()).isEqualTo(SyncSettings.SYNC_FLOOR);
    }

    @Test
    void forecastFollowsTheInterval() {
        List<String> serials = harness.account("home", "key-home", 1);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(25));
        // The planner makes no periodic list refresh: the forecast is the sync-alls alone.
        assertThat(status("home").forecastRequestsPerHour()).isEqualTo(180);
        assertThat(status("home").syncInterval()).isEqualTo(Duration.ofSeconds(20));

        harness.engine.changeSyncInterval("home", Duration.ofSeconds(60));
        assertThat(status("home").forecastRequestsPerHour()).isEqualTo(60);
        harness.engine.changeSyncInterval("home", Duration.ofSeconds(7 * 60));
        assertThat(status("home").forecastRequestsPerHour()).as("8.6 sync-alls an hour: 9 started").isEqualTo(9);

        harness.engine.changeSyncInterval("home", Duration.ofSeconds(60));
        long id = harness.engine.lock(serials.get(0)).orElseThrow().id();
        harness.engine.acceptWebhook(statusWebhook("user-home", id, 2));
        assertThat(status("home").mode()).isEqualTo("webhooks");
        assertThat(status("home").forecastRequestsPerHour()).as("the 5-minute safety interval while webhooks flow").isEqualTo(12);
        assertThat(status("home").syncInterval()).as("still the configured one").isEqualTo(Duration.ofSeconds(60));
    }
}
