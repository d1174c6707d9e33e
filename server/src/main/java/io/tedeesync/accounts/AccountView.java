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
}
