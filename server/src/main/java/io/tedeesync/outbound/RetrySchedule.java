package io.tedeesync.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * When a failed delivery is tried again: the schedule's delay for the attempt (the last delay repeating),
 * varied by &plusmn;10 % so that many deliveries that failed together do not come back together, and never
 * before a {@code Retry-After}. Past {@code retryFor} after the delivery was queued there is no next attempt, but
 * for one: a {@code Retry-After} that reaches past that deadline gets a last attempt at the deadline (the endpoint
 * itself waits for the receiver's time, {@link WebhookDispatcher}), rather than the delivery failing at once.
 * Not thread-safe (its {@link Random}): used by the dispatcher's one thread.
 */
final class RetrySchedule {
    static final double JITTER = 0.10;

    private final List<Duration> delays;
    private final Duration retryFor;
    private final Random random;

    RetrySchedule(List<Duration> delays, Duration retryFor, Random random) {
        this.delays = List.copyOf(delays);
        this.retryFor = retryFor;
        this.random = random;
    }

    /**
     * The next attempt after {@code attemptsMade} failed ones, or empty when the delivery is given up.
     *
     * @param queuedAt   when the delivery was queued (its retry period starts there)
     * @param retryAfter what the receiver asked for (429/503 {@code Retry-After}), or null
     */
    Optional<Instant> next(int attemptsMade, Instant queuedAt, Instant now, Duration retryAfter) {
        Instant deadline = queuedAt.plus(retryFor);
        Duration delay = delays.get(Math.min(attemptsMade, delays.size() - 1));
        long millis = Math.round(delay.toMillis() * (1 - JITTER + 2 * JITTER * random.nextDouble()));
        Instant next = now.plusMillis(millis);
        if (retryAfter != null && next.isBefore(now.plus(retryAfter))) {
            next = now.plus(retryAfter);
            if (next.isAfter(deadline) && deadline.isAfter(now)) {
                return Optional.of(deadline); // one last attempt, when the receiver's pause allows
            }
        }
        return next.isAfter(deadline) ? Optional.empty() : Optional.of(next);
    }
}
