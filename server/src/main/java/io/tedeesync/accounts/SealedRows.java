package io.tedeesync.accounts;

import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoredAccount;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of runtime accounts with their newest credentials sealed into them: at every write, and when
 * the token endpoint rotates a refresh token (the old one is spent, so the new one is written at once, on
 * the store's thread, and offered again with a growing wait until the store takes it). Thread-safe: each
 * account's monitor orders its writes.
 */
final class SealedRows {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    /** A rotated refresh token the store did not take is offered again after this, doubling to a minute. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration RETRY_CAP = Duration.ofMinutes(1);

    private final LockStore store;
    private final CredentialCipher cipher;
    private final Clock clock;
    private final ScheduledExecutorService storeWrites;
    private final Predicate<RuntimeAccount> registered;

    /** @param registered whether the account is still the registry's (not removed, not replaced) */
    SealedRows(LockStore store, CredentialCipher cipher, Clock clock, ScheduledExecutorService storeWrites,
            Predicate<RuntimeAccount> registered) {
        this.store = store;
        this.cipher = cipher;
        this.clock = clock;
        this.storeWrites = storeWrites;
        this.registered = registered;
    }

    /** The row with the account's newest credentials sealed into it. */
    StoredAccount sealed(RuntimeAccount account, StoredAccount row) {
        synchronized (account) {
            return row.withSealedCredentials(cipher.seal(row.name(), row.apiUrl(), account.secret().toJson()), row.updatedAt());
        }
    }

    /**
     * The token endpoint rotated the refresh token of this generation of the account's credentials: the old
     * one is spent, so the new one is stored at once, and offered again until the store takes it.
     */
    void rotated(RuntimeAccount account, int generation, AccountCredentials.OAuth newer) {
        synchronized (account) {
            if (account.generation() != generation) {
                return; // credentials the account no longer uses
            }
            account.secret(newer);
            if (!account.startPersisting()) {
                return; // the write on its way seals the newest secret
            }
        }
        persistLater(account, Duration.ZERO);
    }

    private void persistLater(RuntimeAccount account, Duration after) {
        try {
            storeWrites.schedule(() -> persist(account, after), after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            account.persisted();
            LOG.warn("account {}: the service stopped before its rotated refresh token was stored; a restart may need a new sign-in",
                    account.name);
        }
    }

    private void persist(RuntimeAccount account, Duration waited) {
        try {
            synchronized (account) {
                StoredAccount row = account.stored();
                if (row == null || !registered.test(account)) {
                    account.persisted();
                    return; // not stored yet (its insert seals the newest) or removed
                }
                StoredAccount updated = sealed(account, row.withSealedCredentials("-", clock.instant()));
                store.updateAccount(updated);
                account.stored(updated);
                account.persisted();
            }
        } catch (RuntimeException e) {
            Duration next = waited.isZero() ? RETRY : waited.multipliedBy(2).compareTo(RETRY_CAP) > 0
                    ? RETRY_CAP : waited.multipliedBy(2);
            LOG.warn("account {}: could not store its rotated refresh token ({}); trying again in {} s", account.name, e.getMessage(),
                    next.toSeconds());
            persistLater(account, next);
        }
    }
}
