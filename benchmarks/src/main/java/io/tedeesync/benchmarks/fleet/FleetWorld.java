package io.tedeesync.benchmarks.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tedeesync.simulator.TedeeSimulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The simulated Tedee cloud of the fleet benchmark, in the rig's JVM on 127.0.0.1 (port 0): A accounts
 * {@code fleet-00}... (keys {@code fleet-key-00}...) sharing L Lock PROs evenly, serials {@code 300000-00000}...
 * (account 3 has {@code 300003-...}), named {@code "Front door 1"}, {@code "Flat 2"}..., in varied states drawn
 * from the seed: about 60 % locked, 25 % unlocked, 5 % semi-locked, 3 % pulled, 3 % unknown (9), 2 % uncalibrated,
 * 2 % updating; doors 80 % closed, 8 % open, 2 % sensor disconnected, 10 % no sensor; battery 1..100 (uniform);
 * 2 % of the locks disconnected. The first lock of the first account is the busy one: its state is the
 * end of its seeded history ({@link BusyLockHistory}). Nothing changes by itself (no random activity): after
 * the service's first get-all, its syncs every 20 s find nothing new, and the views measured stay the same
 * but for their {@code syncedAt}. Not thread-safe: built, then only read.
 */
final class FleetWorld implements AutoCloseable {
    private static final String[] PLACES = {"Front door", "Back door", "Garage", "Office", "Storage", "Flat", "Gate", "Studio"};
    private static final int[][] STATE_WEIGHTS = {{6, 60}, {2, 25}, {3, 5}, {7, 3}, {9, 3}, {0, 2}, {18, 2}};
    private static final int[][] DOOR_WEIGHTS = {{3, 80}, {2, 8}, {1, 2}, {0, 10}};

    /** A lock as the simulator has it. */
    record Lock(String account, String serialNumber, long id, String name) {
    }

    private final TedeeSimulator simulator;
    private final List<String> accounts;
    private final List<Lock> locks;

    private FleetWorld(TedeeSimulator simulator, List<String> accounts, List<Lock> locks) {
        this.simulator = simulator;
        this.accounts = accounts;
        this.locks = locks;
    }

    /** Builds the accounts and locks (not serving yet: {@link #serve} after the busy lock's state is set). */
    static FleetWorld build(int accountCount, int lockCount, long seed) {
        TedeeSimulator simulator = TedeeSimulator.builder().seed(seed).requestLogCapacity(10_000).build();
        try {
            Random random = new Random(seed);
            List<String> accounts = new ArrayList<>(accountCount);
            List<Lock> locks = new ArrayList<>(lockCount);
            for (int account = 0; account < accountCount; account++) {
                String name = accountName(account);
                simulator.addAccount(name, personalKey(account));
                accounts.add(name);
                int here = lockCount / accountCount + (account < lockCount % accountCount ? 1 : 0);
                for (int index = 0; index < here; index++) {
                    String serial = String.format(Locale.ROOT, "%06d-%05d", 300_000 + account, index);
                    String lockName = PLACES[random.nextInt(PLACES.length)] + " " + (index + 1);
                    long id = simulator.addLock(name, serial, lockName);
                    locks.add(new Lock(name, serial, id, lockName));
                    if (account == 0 && index == 0) {
                        continue; // the busy lock: set from its history
                    }
                    simulator.setLockState(serial, pick(STATE_WEIGHTS, random));
                    simulator.setDoorState(serial, pick(DOOR_WEIGHTS, random));
                    simulator.setBattery(serial, 1 + random.nextInt(100));
                    if (random.nextInt(100) < 2) {
                        simulator.disconnect(serial);
                    }
                }
            }
            return new FleetWorld(simulator, List.copyOf(accounts), List.copyOf(locks));
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    /** The busy lock: the first of the first account. */
    Lock busyLock() {
        return locks.get(0);
    }

    /** Puts the busy lock where its history ends. */
    void settle(BusyLockHistory.Ending ending) {
        String serial = busyLock().serialNumber();
        simulator.setLockState(serial, ending.stateCode());
        simulator.setDoorState(serial, ending.doorCode());
        simulator.setBattery(serial, ending.battery());
    }

    void serve() {
        simulator.start(0);
    }

    URI baseUrl() {
        return simulator.baseUrl();
    }

    List<Lock> locks() {
        return locks;
    }

    /** {@code {"accounts":[{"name":"fleet-00","personalKey":"fleet-key-00"}, ...]}}, the README's accounts file. */
    Path writeAccountsFile(Path directory) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode document = json.createObjectNode();
        ArrayNode entries = document.putArray("accounts");
        for (int account = 0; account < accounts.size(); account++) {
            entries.addObject().put("name", accounts.get(account)).put("personalKey", personalKey(account));
        }
        Path file = directory.resolve("accounts.json");
        json.writeValue(file.toFile(), document);
        return file;
    }

    private static String accountName(int account) {
        return String.format(Locale.ROOT, "fleet-%02d", account);
    }

    /** A key of the simulator, not a secret. */
    private static String personalKey(int account) {
        return String.format(Locale.ROOT, "fleet-key-%02d", account);
    }

    private static int pick(int[][] weights, Random random) {
        int total = 0;
        for (int[] weight : weights) {
            total += weight[1];
        }
        int draw = random.nextInt(total);
        for (int[] weight : weights) {
            draw -= weight[1];
            if (draw < 0) {
                return weight[0];
            }
        }
        throw new AssertionError("weights cover the draw");
    }

    @Override
    public void close() {
        simulator.close();
    }
}
