package io.tedeesync.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How outbound webhooks are delivered. Immutable.
 *
 * @param allowPrivateTargets    whether endpoints may point at loopback and private networks ({@code serve
 *                               --allow-private-webhook-targets}); refused by default (SSRF)
 * @param retryFor               how long a delivery is retried, and how long an endpoint may fail without one success
 *                               before it is disabled ({@code --webhook-retry-for}, default 24 h)
 * @param timeout                one attempt's limit, connecting included (15 s)
 * @param perEndpointConcurrency attempts in flight per endpoint at most (one per lock), so a slow receiver holds only
 *                               its own places
 * @param retrySchedule          the delay before each attempt: the first (normally zero) for the first attempt, then one
 *                               per retry; the last repeats until {@code retryFor} has passed. Each is varied by
 *                               &plusmn;10 % (jitter)
 */
public record OutboundSettings(boolean allowPrivateTargets, Duration retryFor, Duration timeout, int perEndpointConcurrency,
        List<Duration> retrySchedule) {

    /** The Standard Webhooks schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
    public static final List<Duration> STANDARD_SCHEDULE = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

    /** Private targets refused, retried for 24 h on the standard schedule, 15 s per attempt, 16 in flight per endpoint. */
    public static final OutboundSettings DEFAULTS = new OutboundSettings(false, Duration.ofHours(24), Duration.ofSeconds(15), 16,
            STANDARD_SCHEDULE);

    public OutboundSettings {
        Objects.requireNonNull(retryFor, "retryFor");
        Objects.requireNonNull(timeout, "timeout");
        retrySchedule = List.copyOf(retrySchedule);
        if (retryFor.isNegative() || retryFor.isZero()) {
            throw new IllegalArgumentException("the webhook retry period must be positive, was " + retryFor);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the webhook timeout must be positive, was " + timeout);
        }
        if (perEndpointConcurrency < 1) {
            throw new IllegalArgumentException("at least one attempt per endpoint must be allowed, was " + perEndpointConcurrency);
        }
        if (retrySchedule.isEmpty() || retrySchedule.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("the retry schedule needs at least one delay, none negative");
        }
    }

    public OutboundSettings withAllowPrivateTargets(boolean allow) {
        return new OutboundSettings(allow, retryFor, timeout, perEndpointConcurrency, retrySchedule);
    }

    public OutboundSettings withRetryFor(Duration period) {
        return new OutboundSettings(allowPrivateTargets, period, timeout, perEndpointConcurrency, retrySchedule);
    }

    public OutboundSettings withTimeout(Duration limit) {
        return new OutboundSettings(allowPrivateTargets, retryFor, limit, perEndpointConcurrency, retrySchedule);
    }

    public OutboundSettings withRetrySchedule(List<Duration> delays) {
        return new OutboundSettings(allowPrivateTargets, retryFor, timeout, perEndpointConcurrency, delays);
    }

    public OutboundSettings withPerEndpointConcurrency(int limit) {
        return new OutboundSettings(allowPrivateTargets, retryFor, timeout, limit, retrySchedule);
    }
}
