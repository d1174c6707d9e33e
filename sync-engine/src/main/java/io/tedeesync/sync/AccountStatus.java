package io.tedeesync.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one account's sync: for health checks, metrics and the dashboard. Never contains a credential.
 *
 * @param name                 the account
 * @param health               ok, degraded, failed
 * @param reason               why it is degraded or failed; null when ok
 * @param locks                number of locks mirrored
 * @param mode                 {@code polling} or {@code webhooks}
 * @param effectiveInterval    the sync-all interval in force (stretched for webhooks or the budget)
 * @param requestsLastHour     requests made in the last hour
 * @param hourlyLimit          the budget
 * @param budgetLimited        whether the planner is holding calls back to stay inside the budget
 * @param lastSuccessAt        the last successful call, or null
 * @param blockedUntil         no call before this (Retry-After or backoff), or null
 * @param webhooksReceived     webhooks routed to this account
 * @param syncInterval         the account's configured sync-all interval (its own, the engine's, or the one set by
 *                             {@link SyncEngine#changeSyncInterval}), before any stretching for webhooks or the budget
 * @param forecastRequestsPerHour the planner's forecast of requests per hour at the current settings: the sync-alls
 *                             of an hour at the interval in force, {@code ceil(3600 s / interval)}, where the interval
 *                             is {@code syncInterval}, or the webhook safety interval while webhooks flow if that is
 *                             longer. The budget's stretching is left out ({@code budgetLimited} says whether it
 *                             applies), and so is what cannot be planned: the planner makes no periodic list refresh
 *                             (the list is fetched at start and when an unknown id asks for it), and single-lock
 *                             syncs, details and operations happen on demand
 */
public record AccountStatus(
        String name,
        AccountHealth health,
        String reason,
        int locks,
        String mode,
        Duration effectiveInterval,
        int requestsLastHour,
        int hourlyLimit,
        boolean budgetLimited,
        Instant lastSuccessAt,
        Instant blockedUntil,
        long webhooksReceived,
        Duration syncInterval,
        int forecastRequestsPerHour) {
}
