package io.tedeesync.sync.internal;

import io.tedeesync.sync.SyncSettings;
import java.time.Duration;
import java.time.Instant;

/**
 * How often one account polls: its interval, stretched to the safety interval while its webhooks flow,
 * and stretched so that what is left of the polling budget lasts the hour. No I/O, no clock reads.
 *
 * <p>Not thread-safe: guarded by its worker.
 */
final class Pace {
    private final SyncSettings settings;
    /** The account's configured interval; changed at runtime by {@link #baseInterval(Duration)}. */
    private Duration baseInterval;
    private final RequestBudget budget;
    private Instant lastWebhookAt;

    Pace(SyncSettings settings, Duration baseInterval, RequestBudget budget) {
        this.settings = settings;
        this.baseInterval = baseInterval;
        this.budget = budget;
    }

    /**
     * The sync-all interval now: the account's, stretched to the safety interval while webhooks flow,
     * and stretched so that what is left of the polling budget lasts an hour (3600 s / requests left):
     * with 500 left that is 7 s (no stretch at 20 s), with 100 left 36 s, with 10 left 6 min. The
     * budget is spread out instead of used up and then waited for.
     */
    Duration effectiveInterval(Instant now) {
        Duration interval = pollingInterval(now);
        Duration budgetPace = budgetPace(now);
        return budgetPace.compareTo(interval) > 0 ? budgetPace : interval;
    }

    Duration baseInterval() {
        return baseInterval;
    }

    /** The account's interval is now this (at least {@link SyncSettings#SYNC_FLOOR}: the caller checked). */
    void baseInterval(Duration interval) {
        this.baseInterval = interval;
    }

    /**
     * Sync-alls per hour at the interval in force, budget stretching aside: the base interval, or the
     * webhook safety interval while webhooks flow if that is longer ({@code ceil(3600 s / interval)}).
     */
    int syncAllsPerHour(Instant now) {
        long interval = pollingInterval(now).toMillis();
        return (int) ((RequestBudget.WINDOW.toMillis() + interval - 1) / interval);
    }

    /** The base interval, or the webhook safety interval while webhooks flow if that is longer. */
    private Duration pollingInterval(Instant now) {
        return webhooksHealthy(now) && settings.webhookSafetyInterval().compareTo(baseInterval) > 0
                ? settings.webhookSafetyInterval() : baseInterval;
    }

    /** Whether the budget, not the interval, sets the pace now. */
    boolean budgetLimited(Instant now) {
        return budgetPace(now).compareTo(baseInterval) > 0;
    }

    private Duration budgetPace(Instant now) {
        int left = pollingBudget() - budget.used(now);
        return Duration.ofMillis(RequestBudget.WINDOW.toMillis() / Math.max(1, left)); // Duration.dividedBy goes through BigDecimal: a hot spot
    }

    /** What polling may use of the hourly limit: the rest is the operations' reserve. */
    int pollingBudget() {
        return settings.hourlyRequestLimit() - settings.operationReserve();
    }

    /** A webhook about one of the account's locks arrived. */
    void webhookArrived(Instant now) {
        lastWebhookAt = now;
    }

    boolean webhooksHealthy(Instant now) {
        return lastWebhookAt != null && Duration.between(lastWebhookAt, now).compareTo(settings.webhookQuietGap()) <= 0;
    }

    /** When webhooks will count as quiet if none comes (the mode changes then), or null when they are not flowing. */
    Instant quietAt(Instant now) {
        return webhooksHealthy(now) ? lastWebhookAt.plus(settings.webhookQuietGap()).plusMillis(1) : null;
    }
}
