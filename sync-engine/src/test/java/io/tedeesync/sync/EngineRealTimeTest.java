package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.client.LockState;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.simulator.TedeeSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine on real threads and the real clock: starts, operates, and stops cleanly. */
class EngineRealTimeTest {

    @Test
    void runsOnAnExecutorAndStopsCallingAfterClose() throws Exception {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
        try (TedeeSimulator simulator = TedeeSimulator.builder().operationDelay(Duration.ofMillis(300)).build()) {
            simulator.addAccount("home", "key");
            simulator.addLock("home", "RT-1", "Door");
            simulator.setLockState("RT-1", LockState.LOCKED.code());
            simulator.start(0);
            List<SyncEvent> events = new CopyOnWriteArrayList<>();
            SyncEngine engine = SyncEngine.builder()
                    .account(AccountConfig.of("home", TedeeClient.builder().baseUrl(simulator.baseUrl()).personalKey("key")))
                    .scheduler(TaskScheduler.of(executor))
                    .settings(SyncSettings.defaults().withOperations(Duration.ofSeconds(10), Duration.ofMillis(200)))
                    .listener(SyncListener.forEvents(events::add))
                    .build();
            engine.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(LockEvent.Added.class::isInstance));

            OperationOutcome outcome = engine.operate("RT-1", OperationType.UNLOCK, null).get(10, TimeUnit.SECONDS);

            assertThat(outcome.succeeded()).isTrue();
            engine.close();
            // A call already in flight may still land; after that, silence while the executor lives on.
            int[] last = {-1};
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                int now = simulator.requests().size();
                boolean settled = now == last[0];
                last[0] = now;
                return settled;
            });
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> simulator.requests().size() == last[0]);
            assertThat(engine.accounts().get(0).health()).isEqualTo(AccountHealth.FAILED);
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            executor.shutdownNow();
        }
    }
}
