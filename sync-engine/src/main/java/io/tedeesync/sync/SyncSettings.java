package io.tedeesync.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * The engine's pacing rules, with the defaults the Tedee docs imply. Immutable; build with
 * {@link #defaults()} and the {@code with...} methods, which validate.
 *
 * @param syncInterval          how often to sync all locks of an account (default 20 s; never below {@link #SYNC_FLOOR})
 * @param hourlyRequestLimit    requests an account may make in any hour (Tedee: 700)
 * @param operationReserve      part of that budget kept free for operating locks (default 100)
 * @param staleAfter            a lock's copy is stale when nothing confirmed it for this long (null: 3 x the account's interval)
 * @param backoffBase           first wait after a failed call (default 10 s), doubled per failure
 * @param backoffCap            longest wait between attempts (default 5 min)
 * @param webhookSafetyInterval polling interval while an account's webhooks are healthy (default 5 min)
 * @param webhookQuietGap       webhooks count as healthy until this long after the last one (default 15 min)
 * @param listRefreshGap        least time between two list refreshes asked for by unknown ids (default 30 s)
 * @param operationTimeout      how long to follow an operation before giving up (default 30 s)
 * @param operationPoll         how often to ask whether an operation completed (default 1 s)
 * @param operationWebhookWait  after an operation completed while webhooks flow, how long to wait for the lock's
 *                              webhook before spending a sync on it (default 5 s)
 */
public record SyncSettings(
        Duration syncInterval,
        int hourlyRequestLimit,
        int operationReserve,
        Duration staleAfter,
        Duration backoffBase,
        Duration backoffCap,
        Duration webhookSafetyInterval,
        Duration webhookQuietGap,
        Duration listRefreshGap,
        Duration operationTimeout,
        Duration operationPoll,
        Duration operationWebhookWait) {

    /** The docs: "You shouldn't run sync endpoint more than once every 10 seconds." */
    public static final Duration SYNC_FLOOR = Duration.ofSeconds(10);
    /** The longest sync interval taken: a copy confirmed less than once a day is not a mirror any more. */
    public static final Duration MAX_SYNC_INTERVAL = Duration.ofDays(1);

    /**
     * Why a sync interval is refused (below {@link #SYNC_FLOOR}, above {@link #MAX_SYNC_INTERVAL}), to follow
     * "the sync interval "; empty when it is taken. The one place this rule lives.
     */
    public static java.util.Optional<String> intervalProblem(Duration interval) {
        if (interval.compareTo(SYNC_FLOOR) < 0) {
            return java.util.Optional.of("must be at least 10s: Tedee asks for no more than one sync every 10 s");
        }
        if (interval.compareTo(MAX_SYNC_INTERVAL) > 0) {
            return java.util.Optional.of("must be at most 1d: locks synced less often are not a mirror any more");
        }
        return java.util.Optional.empty();
    }

    public SyncSettings {
        Objects.requireNonNull(syncInterval, "syncInterval");
        intervalProblem(syncInterval).ifPresent(problem -> {
            throw new IllegalArgumentException("the sync interval " + problem);
        });
        if (hourlyRequestLimit < 10) {
            throw new IllegalArgumentException("hourlyRequestLimit must be at least 10, was " + hourlyRequestLimit);
        }
        if (operationReserve < 0 || operationReserve >= hourlyRequestLimit) {
            throw new IllegalArgumentException("operationReserve must be between 0 and the hourly limit, was " + operationReserve);
        }
        positive(backoffBase, "backoffBase");
        positive(backoffCap, "backoffCap");
        positive(webhookSafetyInterval, "webhookSafetyInterval");
        positive(webhookQuietGap, "webhookQuietGap");
        positive(listRefreshGap, "listRefreshGap");
        positive(operationTimeout, "operationTimeout");
        positive(operationPoll, "operationPoll");
        Objects.requireNonNull(operationWebhookWait, "operationWebhookWait");
        if (operationWebhookWait.isNegative()) {
            throw new IllegalArgumentException("operationWebhookWait must not be negative");
        }
        if (staleAfter != null) {
            positive(staleAfter, "staleAfter");
        }
    }

    public static SyncSettings defaults() {
        return new SyncSettings(Duration.ofSeconds(20), 700, 100, null, Duration.ofSeconds(10), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    public SyncSettings withSyncInterval(Duration interval) {
        return new SyncSettings(interval, hourlyRequestLimit, operationReserve, staleAfter, backoffBase, backoffCap,
                webhookSafetyInterval, webhookQuietGap, listRefreshGap, operationTimeout, operationPoll, operationWebhookWait);
    }

    public SyncSettings withBudget(int hourlyLimit, int reserve) {
        return new SyncSettings(syncInterval, hourlyLimit, reserve, staleAfter, backoffBase, backoffCap,
                webhookSafetyInterval, webhookQuietGap, listRefreshGap, operationTimeout, operationPoll, operationWebhookWait);
    }

    public SyncSettings withStaleAfter(Duration threshold) {
        return new SyncSettings(syncInterval, hourlyRequestLimit, operationReserve, threshold, backoffBase, backoffCap,
                webhookSafetyInterval, webhookQuietGap, listRefreshGap, operationTimeout, operationPoll, operationWebhookWait);
    }

    public SyncSettings withBackoff(Duration base, Duration cap) {
        return new SyncSettings(syncInterval, hourlyRequestLimit, operationReserve, staleAfter, base, cap,
                webhookSafetyInterval, webhookQuietGap, listRefreshGap, operationTimeout, operationPoll, operationWebhookWait);
    }

    public SyncSettings withWebhooks(Duration safetyInterval, Duration quietGap) {
        return new SyncSettings(syncInterval, hourlyRequestLimit, operationReserve, staleAfter, backoffBase, backoffCap,
                safetyInterval, quietGap, listRefreshGap, operationTimeout, operationPoll, operationWebhookWait);
    }

    public SyncSettings withOperations(Duration timeout, Duration poll) {
        return new SyncSettings(syncInterval, hourlyRequestLimit, operationReserve, staleAfter, backoffBase, backoffCap,
                webhookSafetyInterval, webhookQuietGap, listRefreshGap, timeout, poll, operationWebhookWait);
    }

    /** Zero: sync a lock as soon as its operation completed, without waiting for its webhook. */
    public SyncSettings withOperationWebhookWait(Duration wait) {
        return new SyncSettings(syncInterval, hourlyRequestLimit, operationReserve, staleAfter, backoffBase, backoffCap,
                webhookSafetyInterval, webhookQuietGap, listRefreshGap, operationTimeout, operationPoll, wait);
    }

    /** The staleness threshold for an account polling every {@code interval}. */
    public Duration staleAfter(Duration interval) {
        return staleAfter != null ? staleAfter : interval.multipliedBy(3);
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
