package io.tedeesync.sync;

import io.tedeesync.client.TedeeClient;
import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.TedeeSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * An engine against the simulated cloud over real HTTP, both on one {@link VirtualTime}: tests move
 * time and look at what the engine asked for and what it told its listeners.
 */
final class EngineHarness implements AutoCloseable {
    static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    final VirtualTime time = new VirtualTime(START);
    final TedeeSimulator simulator;
    final List<SyncEvent> events = Collections.synchronizedList(new ArrayList<>());
    SyncEngine engine;

    EngineHarness(int requestsPerHour) {
        simulator = TedeeSimulator.builder().clock(time).seed(3).requestsPerHour(requestsPerHour)
                .webhookExecutor(Runnable::run).build();
        simulator.start(0);
    }

    EngineHarness() {
        this(700);
    }

    /** Adds an account with locks named {@code <account>-lock-N}, serials {@code <prefix>-0000N}. */
    List<String> account(String name, String key, int locks) {
        simulator.addAccount(name, key);
        List<String> serials = new ArrayList<>();
        for (int i = 1; i <= locks; i++) {
            String serial = String.format("%s-%05d", name.toUpperCase(), i);
            simulator.addLock(name, serial, name + " lock " + i);
            simulator.setLockState(serial, 6);
            serials.add(serial);
        }
        return serials;
    }

    AccountConfig config(String name, String key) {
        return AccountConfig.of(name, TedeeClient.builder().baseUrl(simulator.baseUrl()).personalKey(key)
                .clock(time).requestTimeout(Duration.ofSeconds(5)));
    }

    SyncEngine start(UnaryOperator<SyncEngine.Builder> setup) {
        SyncEngine.Builder builder = SyncEngine.builder().clock(time).scheduler(time).random(new Random(11))
                .listener(SyncListener.forEvents(events::add));
        engine = setup.apply(builder).build();
        engine.start();
        time.runDue();
        return engine;
    }

    void advance(Duration duration) {
        // Step in seconds so the simulator's own changes (operations, activity) land between calls.
        for (long s = 0; s < duration.toSeconds(); s++) {
            time.advance(Duration.ofSeconds(1));
        }
    }

    List<RecordedRequest> requests(String account) {
        return simulator.requests().stream().filter(r -> account.equals(r.account())).toList();
    }

    static boolean isSyncAll(RecordedRequest r) {
        return r.path().endsWith("/my/lock/sync") && r.query().isEmpty();
    }

    static boolean isGetAll(RecordedRequest r) {
        return r.path().endsWith("/my/lock");
    }

    <T extends SyncEvent> List<T> events(Class<T> type) {
        synchronized (events) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        simulator.close();
    }
}
