package io.tedeesync.http;

import io.tedeesync.client.Credentials;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.metrics.SyncMetrics;
import io.tedeesync.simulator.TedeeSimulator;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.SyncEvent;
import io.tedeesync.sync.TaskScheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The HTTP API on a real SQLite store, with an engine (against the simulator) that is built but not
 * started: the events come from {@link #publish}, which does what the engine does with a batch, writes
 * it to the store, then tells the listeners. So a test can put thousands of events through the event
 * stream in a second, over real sockets.
 */
final class StreamBed implements AutoCloseable {
    static final String KEY = "stream-bed-key";
    static final String WEBHOOK_SECRET = "stream-bed-webhook-secret";
    static final String FRONT = "SSE-00001";
    static final String BACK = "SSE-00002";

    final TedeeSimulator simulator;
    final LockStore store;
    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    final SyncEngine engine;
    final HttpApi api;
    private long published;

    StreamBed(Path data) {
        simulator = TedeeSimulator.builder().build();
        simulator.addAccount("home", KEY);
        simulator.addLock("home", FRONT, "Front");
        simulator.addLock("home", BACK, "Back");
        simulator.start(0);
        store = LockStore.open(StoreConfig.sqlite(data));
        engine = SyncEngine.builder()
                .account(new AccountConfig("home", TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(Credentials.personalKey(KEY)),
                        null, null))
                .scheduler(TaskScheduler.of(executor))
                .durableListener(store)
                .build();
        api = HttpApi.start(new HttpApi.Parts(engine, store, new SyncMetrics(), Clock.systemUTC(), Optional::empty, WEBHOOK_SECRET, null,
                false, false, null, null, null, null), "127.0.0.1", 0);
    }

    int port() {
        return api.port();
    }

    EventBroadcaster broadcaster() {
        return api.broadcaster();
    }

    /** Writes {@code count} bell presses, alternately of {@link #FRONT} and {@link #BACK}, in one batch; returns the last id. */
    long publish(int count) {
        Instant now = Instant.now();
        List<SyncEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            published++;
            events.add(new LockEvent.BellPressed("home", published % 2 == 1 ? FRONT : BACK, published, now, now, EventSource.WEBHOOK));
        }
        ChangeBatch batch = new ChangeBatch("home", now, events, List.of(), Set.of());
        store.onChanges(batch);
        broadcaster().onChanges(batch);
        return store.lastEventId();
    }

    @Override
    public void close() {
        api.close();
        engine.close();
        executor.shutdownNow();
        store.close();
        simulator.close();
    }
}
