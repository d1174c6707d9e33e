package io.tedeesync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every account's status and every mirrored lock, taken once: what a metrics scrape, a health check or
 * a dashboard reads, so that 10,000 accounts cost one pass and not one pass per figure. Immutable.
 */
public final class EngineSnapshot {
    private final Instant at;
    private final List<AccountStatus> accounts;
    private final List<MirroredLock> locks;
    private final Map<String, AccountStatus> byName;
    private final Map<String, Duration> staleAfter;

    EngineSnapshot(Instant at, List<AccountStatus> accounts, List<MirroredLock> locks, Map<String, Duration> staleAfter) {
        this.at = at;
        this.accounts = List.copyOf(accounts);
        this.locks = List.copyOf(locks);
        this.staleAfter = Map.copyOf(staleAfter);
        Map<String, AccountStatus> index = new HashMap<>();
        for (AccountStatus account : accounts) {
            index.put(account.name(), account);
        }
        this.byName = index;
    }

    /** When it was taken (engine clock). */
    public Instant at() {
        return at;
    }

    /** Each account's status, in the order the accounts were added. */
    public List<AccountStatus> accounts() {
        return accounts;
    }

    /** Every mirrored lock of every account. */
    public List<MirroredLock> locks() {
        return locks;
    }

    /**
     * Whether this copy may be out of date (as {@link SyncEngine#isStale}): its account has had no
     * successful call since the engine started, or nothing confirmed the lock within its account's threshold.
     */
    public boolean isStale(MirroredLock lock) {
        AccountStatus status = byName.get(lock.account());
        Duration threshold = staleAfter.get(lock.account());
        return status == null || threshold == null || status.lastSuccessAt() == null || lock.isStale(at, threshold);
    }

    /** How long ago the API (an answer or a webhook) last confirmed this lock; zero if in the future. */
    public Duration confirmedAgo(MirroredLock lock) {
        Duration ago = Duration.between(lock.syncedAt(), at);
        return ago.isNegative() ? Duration.ZERO : ago;
    }
}
