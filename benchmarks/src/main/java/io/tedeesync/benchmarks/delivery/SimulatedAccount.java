package io.tedeesync.benchmarks.delivery;

import io.tedeesync.benchmarks.load.WebhookSource;
import io.tedeesync.simulator.SimAccount;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated Tedee cloud, in the rig's JVM on 127.0.0.1 (port 0): one account of L Lock PROs, all locked,
 * serials {@code 100000-00000}... as in the webhook load. After the service's first get-all it only answers the
 * service's syncs every 20 s; the changes come as webhooks from the rig. {@link #close()} stops it. Not
 * thread-safe.
 */
final class SimulatedAccount implements AutoCloseable {
    static final String ACCOUNT = "delivery";
    static final String PERSONAL_KEY = "delivery-personal-key";

    private final TedeeSimulator simulator;
    private final SimAccount account;
    private final List<Long> lockIds;
    private final List<String> serials;

    private SimulatedAccount(TedeeSimulator simulator, SimAccount account, List<Long> lockIds, List<String> serials) {
        this.simulator = simulator;
        this.account = account;
        this.lockIds = lockIds;
        this.serials = serials;
    }

    static SimulatedAccount start(int locks) {
        TedeeSimulator simulator = TedeeSimulator.builder().build();
        try {
            SimAccount account = simulator.addAccount(ACCOUNT, PERSONAL_KEY);
            List<Long> ids = new ArrayList<>(locks);
            List<String> serials = new ArrayList<>(locks);
            for (int index = 0; index < locks; index++) {
                String serial = String.format("%06d-%05d", 100_000 + index / 100_000, index % 100_000);
                ids.add(simulator.addLock(ACCOUNT, serial, "Door " + (index + 1)));
                serials.add(serial);
                simulator.setLockState(serial, WebhookSource.LOCKED);
            }
            simulator.start(0);
            return new SimulatedAccount(simulator, account, List.copyOf(ids), List.copyOf(serials));
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    URI baseUrl() {
        return simulator.baseUrl();
    }

    String userIdentity() {
        return account.userIdentity();
    }

    List<Long> lockIds() {
        return lockIds;
    }

    List<String> serials() {
        return serials;
    }

    @Override
    public void close() {
        simulator.close();
    }
}
