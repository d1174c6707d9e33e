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

    /** Builds the engine without starting it. */
    SyncEngine build(UnaryOperator<SyncEngine.Builder> setup) {
        SyncEngine.Builder builder = SyncEngine.builder().clock(time).scheduler(time).random(new Random(11))
                .listener(SyncListener.forEvents(events::add));
        engine = setup.apply(builder).build();
        return engine;
    }

    SyncEngine start(UnaryOperator<SyncEngine.Builder> setup) {
        build(setup);
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

    /** The rule of the hourly budget: never more than {@code limit} requests of the account in any sliding hour. */
    void assertBudgetKept(String account, int limit) {
        List<Instant> times = requests(account).stream().map(RecordedRequest::at).toList();
        int from = 0;
        for (int to = 0; to < times.size(); to++) {
            while (!times.get(from).isAfter(times.get(to).minus(Duration.ofHours(1)))) {
                from++;
            }
            org.assertj.core.api.Assertions.assertThat(to - from + 1).as("requests of %s in the hour before %s", account, times.get(to))
                    .isLessThanOrEqualTo(limit);
        }
    }

    /** The end of every soak: each lock of the simulator is in the mirror, under its id, name, connection and position. */
    void assertMirrorEqualsTruth() {
        for (io.tedeesync.simulator.SimLock truth : simulator.locks()) {
            MirroredLock copy = engine.lock(truth.serialNumber()).orElseThrow();
            org.assertj.core.api.Assertions.assertThat(copy.id()).isEqualTo(truth.id());
            org.assertj.core.api.Assertions.assertThat(copy.name()).isEqualTo(truth.name());
            org.assertj.core.api.Assertions.assertThat(copy.connected()).isEqualTo(truth.connected());
            if (truth.connected()) {
                io.tedeesync.client.DeviceState state = copy.state();
                org.assertj.core.api.Assertions.assertThat(state).as("%s position known", truth.serialNumber()).isNotNull();
                org.assertj.core.api.Assertions.assertThat(state.stateCode()).as("%s state", truth.serialNumber()).isEqualTo(truth.stateCode());
                org.assertj.core.api.Assertions.assertThat(state.doorStateCode()).isEqualTo(truth.doorStateCode());
                org.assertj.core.api.Assertions.assertThat(state.batteryLevel()).isEqualTo(truth.batteryLevel());
            } else {
                org.assertj.core.api.Assertions.assertThat(copy.state()).isNull();
            }
        }
        org.assertj.core.api.Assertions.assertThat(engine.locks()).hasSize(simulator.locks().size());
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        simulator.close();
    }
}
