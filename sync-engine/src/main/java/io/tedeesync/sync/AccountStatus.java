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
        long webhooksReceived) {
}
