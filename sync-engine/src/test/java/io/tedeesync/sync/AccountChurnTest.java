package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.Endpoint;
import io.tedeesync.client.RequestListener;
import io.tedeesync.client.webhook.LockStatusChanged;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A service adds and removes accounts for weeks without a restart: whatever a removed account had (its
 * worker and client, its scheduled tasks, its place in the directory and in the webhook routing) must
 * go with it, or memory and timers grow with every account that ever was.
 */
class AccountChurnTest {
    private static final int ACCOUNTS = 1_000;
    /** Added and removed again before their first tick. */
    private static final int NEVER_RAN = 100;
    /** Removed while they wait for a place of the start-up limit. */
    private static final int WAITING = 50;
    /** The first account to wait for a place: the 32 after those that never ran take them all. */
    private static final int FIRST_TO_WAIT = NEVER_RAN + 32;

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    /** Counts an account's requests; one object per account, held by its client alone once the test lets go. */
    private static final class Requests implements RequestListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void onRequest(Endpoint endpoint, int statusCode, Duration latency) {
            count.incrementAndGet();
        }
    }

    @Test
    void addingAndRemoving1000AccountsLeavesNothingBehind() {
        harness.start(b -> b); // the default start-up limit: 32 first lists at a time
        harness.time.runDue();
        int tasksBefore = harness.time.pendingTasks();
        List<WeakReference<Requests>> clients = new ArrayList<>();
        List<WeakReference<String>> names = new ArrayList<>();
        List<Requests> requests = new ArrayList<>();
        List<CompletableFuture<Boolean>> removals = java.util.Collections.synchronizedList(new ArrayList<>()); // one is added to from an HTTP thread
        addAccounts(clients, names, requests, removals);
        for (int i = 0; i < NEVER_RAN; i++) {
            removals.add(harness.engine.removeAccount(name(i)));
        }
        harness.advance(Duration.ofSeconds(5)); // the others load their lists; each has its next sync-all planned
        for (int i = NEVER_RAN; i < ACCOUNTS - WAITING; i++) {
            long id = harness.engine.lock(serial(i)).orElseThrow().id();
            assertThat(harness.engine.acceptWebhook(new LockStatusChanged("lock-status-changed", harness.time.instant(), "user-" + i, id,
                    harness.time.instant(), 2, 2, 0))).isEqualTo(WebhookOutcome.APPLIED);
        }
        assertThat(harness.engine.accounts()).hasSize(ACCOUNTS - NEVER_RAN - WAITING);
        for (int i = NEVER_RAN; i < ACCOUNTS - WAITING; i++) {
            removals.add(harness.engine.removeAccount(name(i)));
        }
        harness.time.runDue();

        assertThat(removals).hasSize(ACCOUNTS).allSatisfy(removed -> assertThat(removed).isCompletedWithValue(true));
        assertThat(requests.subList(0, NEVER_RAN)).allSatisfy(made -> assertThat(made.count).hasValue(0));
        assertThat(requests.subList(ACCOUNTS - WAITING, ACCOUNTS)).as("removed before their place came")
                .allSatisfy(made -> assertThat(made.count).hasValue(0));
        assertThat(requests.subList(NEVER_RAN, ACCOUNTS - WAITING)).as("a list each")
                .allSatisfy(made -> assertThat(made.count).hasValue(1));
        assertThat(harness.time.pendingTasks()).as("no timer of a removed account").isEqualTo(tasksBefore);
        assertThat(harness.engine.accounts()).isEmpty();
        assertThat(harness.engine.locks()).isEmpty();
        for (int i = 0; i < ACCOUNTS; i++) {
            assertThat(harness.engine.lock(serial(i))).isEmpty();
        }

        requests.clear();
        harness.events.clear(); // the test's own record of the events names the accounts
        for (int attempt = 0; attempt < 10 && !(allCleared(clients) && allCleared(names)); attempt++) {
            System.gc();
        }
        assertThat(clients).as("every removed account's client, and so its worker, is garbage").allSatisfy(ref -> assertThat(ref.get()).isNull());
        assertThat(names).as("nothing (registry, directory, webhook routing) still holds a removed account's name")
                .allSatisfy(ref -> assertThat(ref.get()).isNull());
    }

    private static String name(int i) {
        return "acct" + i;
    }

    private static String serial(int i) {
        return String.format("CHURN-%05d", i);
    }

    /** In a method of its own: no local of the test's frame keeps an account's config, client or name reachable. */
    private void addAccounts(List<WeakReference<Requests>> clients, List<WeakReference<String>> names, List<Requests> requests,
            List<CompletableFuture<Boolean>> removals) {
        for (int i = 0; i < ACCOUNTS; i++) {
            harness.simulator.addAccount(name(i), "key-" + i);
            harness.simulator.addLock(name(i), serial(i), "door " + i);
            String name = name(i); // the engine's own instance: whatever holds it after the removal holds a part of the account
            Requests made = new Requests();
            AccountConfig config = harness.config(name, "key-" + i);
            config.client().requestListener(made);
            if (i % 2 == 0) { // half configured for webhooks, half learned from them
                config = new AccountConfig(name, config.client(), null, "user-" + i);
            }
            if (i == FIRST_TO_WAIT) {
                // Its first list goes once a place passed on, when every account after it is waiting for one: remove some there.
                config.client().requestListener((endpoint, status, latency) -> {
                    if (removals.size() == NEVER_RAN) {
                        for (int w = ACCOUNTS - WAITING; w < ACCOUNTS; w++) {
                            removals.add(harness.engine.removeAccount(name(w)));
                        }
                    }
                });
            }
            harness.engine.addAccount(config, List.of());
            clients.add(new WeakReference<>(made));
            names.add(new WeakReference<>(name));
            requests.add(made);
        }
    }

    private static boolean allCleared(List<? extends WeakReference<?>> references) {
        return references.stream().allMatch(ref -> ref.get() == null);
    }
}
