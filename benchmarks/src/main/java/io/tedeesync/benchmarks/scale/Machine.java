package io.tedeesync.benchmarks.scale;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The machine is shared (other builds and tests run on the same cores): before a run the rig waits,
 * up to a limit, for a quiet moment, and every report says how busy the cores were outside the
 * measured processes. Stateless.
 */
public final class Machine {
    private static final double QUIET_BUSY_CORES = 0.15;
    private static final long LOOK_MILLIS = 3_000;

    private Machine() {
    }

    /** Waits until the cores were at most 0.15 busy over 3 s, or the limit passed; says which. */
    public static void waitForQuiet(Duration limit, PrintStream progress) throws InterruptedException {
        if (limit.isZero()) {
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        boolean told = false;
        while (true) {
            ProcFs.MachineCpu before = ProcFs.machine();
            Thread.sleep(LOOK_MILLIS);
            ProcFs.MachineCpu after = ProcFs.machine();
            double busy = (after.busySeconds() - before.busySeconds()) / (LOOK_MILLIS / 1000.0);
            if (busy <= QUIET_BUSY_CORES) {
                if (told) {
                    progress.printf(Locale.ROOT, "scale: the machine is quiet now (%.2f cores busy)%n", busy);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                progress.printf(Locale.ROOT, "scale: the machine is still busy (%.2f cores); starting anyway, see 'machine' in the report%n", busy);
                return;
            }
            if (!told) {
                progress.printf(Locale.ROOT, "scale: waiting for a quiet machine (%.2f cores busy by other work; at most %s)%n", busy,
                        Durations.format(limit));
                told = true;
            }
        }
    }
}
