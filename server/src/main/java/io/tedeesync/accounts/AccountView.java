package io.tedeesync.accounts;

import io.tedeesync.sync.AccountStatus;
import java.net.URI;
import java.time.Instant;

/**
 * One account as the accounts API shows it: never a secret.
 *
 * @param name        the account
 * @param credentials {@code personalKey} or {@code oauth}
 * @param source      {@code api} (added at runtime, changed over the API) or {@code declared} (flags or the
 *                    accounts file, changed there)
 * @param status      the engine's view: health, mode, intervals, budget, forecast, last success
 * @param addedAt     when it was added over the API; for a declared account, when this service started
 * @param apiUrl      the Tedee API it talks to
 * @param apiVersion  the API version
 * @param userIdentity its Tedee user identity, when configured
 * @param checkedLocks the locks the credentials check found (just after adding, before the first list), or null
 */
public record AccountView(String name, String credentials, String source, AccountStatus status, Instant addedAt, URI apiUrl,
        String apiVersion, String userIdentity, Integer checkedLocks) {

    /** Locks mirrored, or those the check found while the first list is still on its way. */
    public int locks() {
        return checkedLocks != null && status.locks() == 0 ? checkedLocks : status.locks();
    }

    /** The fields of the accounts API's JSON of this account, in their order. */
    public java.util.Map<String, Object> fields() {
        AccountView account = this;
        AccountStatus status = account.status();
        java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("name", account.name());
        view.put("credentials", account.credentials());
        view.put("source", account.source());
        view.put("mode", status.mode());
        view.put("syncIntervalSeconds", status.syncInterval().toSeconds());
        view.put("effectiveIntervalSeconds", status.effectiveInterval().toSeconds());
        view.put("locks", account.locks());
        view.put("health", status.health().name().toLowerCase(java.util.Locale.ROOT));
        view.put("reason", status.reason());
        view.put("requestsLastHour", status.requestsLastHour());
        view.put("hourlyLimit", status.hourlyLimit());
        view.put("forecastRequestsPerHour", status.forecastRequestsPerHour());
        view.put("budgetLimited", status.budgetLimited());
        view.put("lastSuccessAt", status.lastSuccessAt());
        view.put("addedAt", account.addedAt());
        view.put("apiUrl", account.apiUrl());
        view.put("apiVersion", account.apiVersion());
        view.put("userIdentity", account.userIdentity());
        return view;
    }
}
