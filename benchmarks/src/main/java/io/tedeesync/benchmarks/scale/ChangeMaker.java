package io.tedeesync.benchmarks.scale;

import java.net.URI;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hand on the knobs: at random moments (a Poisson process of the given rate) it picks a random lock
 * that has no change in flight and turns it, locked to unlocked or back, through the simulator's control
 * API, noting the change in {@link Freshness} just before sending it. Runs on one thread of its own
 * between {@link #start()} and {@link #close()}. Thread-safe.
 */
final class ChangeMaker implements AutoCloseable {
    private static final int LOCKED = 6;
    private static final int UNLOCKED = 2;

    private final Probes probes;
    private final URI simulator;
    private final int accounts;
    private final int locksPerAccount;
    private final double perSecond;
    private final Random random;
    private final Freshness freshness;
    /** The state the rig last set on each lock; every lock starts locked. The maker thread's alone. */
    private final int[] states;
    private final AtomicLong made = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    ChangeMaker(Probes probes, URI simulator, int accounts, int locksPerAccount, double perSecond, long seed, Freshness freshness) {
        this.probes = probes;
        this.simulator = simulator;
        this.accounts = accounts;
        this.locksPerAccount = locksPerAccount;
        this.perSecond = perSecond;
        this.random = new Random(seed);
        this.freshness = freshness;
        this.states = new int[accounts * locksPerAccount];
        Arrays.fill(states, LOCKED);
        this.thread = new Thread(this::run, "scale-changes");
        thread.setDaemon(true);
    }

    void start() {
        if (perSecond > 0) {
            thread.start();
        }
    }

    long made() {
        return made.get();
    }

    long failed() {
        return failed.get();
    }

    /** Moments when every lock it tried had a change in flight already. */
    long skipped() {
        return skipped.get();
    }

    private void run() {
        long next = System.nanoTime();
        while (!stopped) {
            next += (long) (-Math.log(1 - random.nextDouble()) / perSecond * 1e9);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!stopped) {
                changeOne();
            }
        }
    }

    private void changeOne() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int index = random.nextInt(states.length);
            String serial = ScaleWorld.serial(index / locksPerAccount, index % locksPerAccount);
            if (freshness.inFlight(serial)) {
                continue;
            }
            turn(index, freshness, System.nanoTime(), System.currentTimeMillis());
            return;
        }
        skipped.incrementAndGet();
    }

    /**
     * Turns one lock of the account now and times it in {@code timing} from the given moment (for a change
     * waited for from another moment than its sending, such as a kill). Only once the maker is closed (or
     * before it starts): the states are its thread's. Whether the change was made.
     */
    boolean turnOneOf(int account, Freshness timing, long fromNanos, long fromEpochMillis) {
        return turn(account * locksPerAccount, timing, fromNanos, fromEpochMillis);
    }

    private boolean turn(int index, Freshness timing, long fromNanos, long fromEpochMillis) {
        String serial = ScaleWorld.serial(index / locksPerAccount, index % locksPerAccount);
        int code = states[index] == LOCKED ? UNLOCKED : LOCKED;
        timing.expect(serial, code, fromNanos, fromEpochMillis);
        if (probes.setState(simulator, serial, code)) {
            states[index] = code;
            made.incrementAndGet();
            return true;
        }
        timing.cancel(serial);
        failed.incrementAndGet();
        return false;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
