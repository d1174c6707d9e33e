package io.tedeesync.sync.internal;

import java.time.Duration;
import java.util.Random;

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so accounts that failed together do not retry together. */
final class Backoff {
    private Backoff() {
    }

    /** The wait after the {@code failures}-th consecutive failure (1-based). */
    static Duration delay(int failures, Duration base, Duration cap, Random random) {
        int exponent = Math.min(Math.max(failures - 1, 0), 20);
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << exponent);
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (ceiling - half)));
    }
}
