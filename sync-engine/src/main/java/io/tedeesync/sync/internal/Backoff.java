package io.tedeesync.sync.internal;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random, so accounts that failed
 * together do not retry together. The fixed half is never below the base: the first wait is between
 * one and two bases, the n-th between 2^(n-1) and 2^n bases, all capped.
 */
final class Backoff {
    private Backoff() {
    }

    /** The wait after the {@code failures}-th consecutive failure (1-based). */
    static Duration delay(int failures, Duration base, Duration cap, Random random) {
        int exponent = Math.min(Math.max(failures, 1), 20);
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << exponent);
        long half = Math.min(ceiling / 2, cap.toMillis());
        return Duration.ofMillis(half + (long) (random.nextDouble() * (ceiling - half)));
    }
}
