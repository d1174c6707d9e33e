package io.tedeesync.accounts;

import io.tedeesync.client.Credentials;
import io.tedeesync.store.StoredAccount;
import io.tedeesync.sync.AccountStatus;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/** One account as the accounts API shows it, from the engine's status and what the registry knows of it. Thread-safe. */
final class AccountViews {
    private final Map<String, AccountSpec> declared;
    private final Instant startedAt;
    private final Function<String, StoredAccount> rows;
    private final Map<String, Integer> checkedLocks;

    /**
     * @param rows         a runtime account's row, or null
     * @param checkedLocks the locks each credentials check found, dropped here once the engine's own list is in
     */
    AccountViews(Map<String, AccountSpec> declared, Instant startedAt, Function<String, StoredAccount> rows,
            Map<String, Integer> checkedLocks) {
        this.declared = declared;
        this.startedAt = startedAt;
        this.rows = rows;
        this.checkedLocks = checkedLocks;
    }

    AccountView of(AccountStatus status) {
        AccountSpec spec = declared.get(status.name());
        if (spec != null) {
            return new AccountView(status.name(), kind(spec.credentials()), "declared", status, startedAt, spec.apiUrl(), spec.apiVersion(),
                    spec.userIdentity(), null);
        }
        StoredAccount row = rows.apply(status.name());
        if (row == null) {
            return new AccountView(status.name(), "unknown", "api", status, null, null, null, null, null);
        }
        Integer checked = checkedLocks.get(status.name());
        if (checked != null && status.lastSuccessAt() != null) {
            checkedLocks.remove(status.name()); // the engine's own list is in
            checked = null;
        }
        return new AccountView(status.name(), row.credentialKind(), "api", status, row.addedAt(), row.apiUrl(), row.apiVersion(),
                row.userIdentity(), checked);
    }

    private static String kind(Credentials credentials) {
        return "PersonalKey".equals(credentials.scheme()) ? "personalKey" : "oauth";
    }
}
