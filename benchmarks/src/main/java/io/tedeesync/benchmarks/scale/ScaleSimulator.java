package io.tedeesync.benchmarks.scale;

import io.tedeesync.simulator.TedeeSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The simulated Tedee cloud of the scale benchmark, in a process of its own so that its CPU is not the
 * service's: {@code accounts} accounts, each with its own personal key ({@link ScaleWorld}) and
 * {@code locks} Lock PROs, all locked and connected, on 127.0.0.1. Optionally the simulator's own random
 * activity ({@code --activity}: mean gap per lock). Prints one {@code ready ...} line when it serves, and
 * stops when its standard input ends (the rig that started it is gone) or on SIGTERM.
 *
 * <pre>java -cp benchmarks.jar io.tedeesync.benchmarks.scale.ScaleSimulator --accounts 1000 [--locks 5]
 *     [--port 8081] [--seed 1] [--activity 0] [--request-log 10000]</pre>
 */
public final class ScaleSimulator {
    private ScaleSimulator() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = 100;
        int locks = 5;
        int port = 8081;
        long seed = 1;
        int requestLog = 10_000;
        Duration activity = Duration.ZERO;
        for (int index = 0; index + 1 < args.length; index += 2) {
            String value = args[index + 1];
            switch (args[index]) {
                case "--accounts" -> accounts = Integer.parseInt(value);
                case "--locks" -> locks = Integer.parseInt(value);
                case "--port" -> port = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--activity" -> activity = Durations.parse(value);
                case "--request-log" -> requestLog = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[index]);
            }
        }
        long started = System.nanoTime();
        // The log keeps only the latest requests: the rig reads the counters (GET /_sim/stats).
        TedeeSimulator simulator = TedeeSimulator.builder().seed(seed).requestLogCapacity(requestLog).build();
        for (int account = 0; account < accounts; account++) {
            simulator.addAccount(ScaleWorld.accountName(account), ScaleWorld.personalKey(account));
            for (int lock = 0; lock < locks; lock++) {
                simulator.addLock(ScaleWorld.accountName(account), ScaleWorld.serial(account, lock), ScaleWorld.lockName(lock));
            }
        }
        long built = System.nanoTime();
        simulator.start(port);
        if (!activity.isZero()) {
            simulator.randomActivity(activity);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "scale-simulator-stop"));
        System.out.printf(Locale.ROOT, "ready %s: %d accounts, %d locks, built in %d ms, serving %d ms after start%n",
                simulator.baseUrl(), accounts, accounts * locks, (built - started) / 1_000_000,
                (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing to read: the rig never writes; EOF means it is gone
                }
            } catch (IOException e) {
                // same as EOF
            }
            stop.countDown();
        }, "scale-simulator-stdin");
        watcher.setDaemon(true);
        watcher.start();
        stop.await();
        simulator.close(); // main returns: the JVM ends with the simulator's threads
    }
}
