package io.tedeesync.metrics;

import io.tedeesync.client.TedeeClient;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A real engine of many accounts seeded with locks, never started: it makes no call, and its clock stands
 * still, so its snapshot is the same at every scrape. Accounts are all {@code starting} (never synced).
 */
final class EngineOfManyAccounts {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String KEY_PREFIX = "personal-key-never-in-metrics-";
    /** One client for all accounts: a JDK client each would be a selector thread each. */
    private static final HttpClient NEVER_USED = HttpClient.newHttpClient();

    private EngineOfManyAccounts() {
    }

    /** {@code accounts} accounts of {@code locksEach} locks, each confirmed {@code age} before {@link #NOW}. */
    static SyncEngine of(int accounts, int locksEach, Duration age) {
        SyncEngine.Builder builder = builder();
        for (int a = 1; a <= accounts; a++) {
            String account = String.format("account-%05d", a);
            List<MirroredLock> locks = new ArrayList<>();
            for (int l = 1; l <= locksEach; l++) {
                locks.add(lock(account, String.format("SN-%05d-%d", a, l), a * 100L + l, NOW.minus(age)));
            }
            add(builder, account, locks);
        }
        return builder.build();
    }

    /** One account whose locks were confirmed these {@code ages} before {@link #NOW} (negative: after it). */
    static SyncEngine oneAccount(Duration... ages) {
        SyncEngine.Builder builder = builder();
        List<MirroredLock> locks = new ArrayList<>();
        for (int l = 0; l < ages.length; l++) {
            locks.add(lock("home", "SN-" + l, l + 1, NOW.minus(ages[l])));
        }
        add(builder, "home", locks);
        return builder.build();
    }

    private static SyncEngine.Builder builder() {
        return SyncEngine.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).scheduler((task, delay) -> () -> { });
    }

    private static void add(SyncEngine.Builder builder, String account, List<MirroredLock> locks) {
        builder.account(AccountConfig.of(account, TedeeClient.builder()
                .baseUrl(URI.create("http://127.0.0.1:9"))
                .personalKey(KEY_PREFIX + account)
                .httpClient(NEVER_USED)));
        builder.seed(account, locks);
    }

    private static MirroredLock lock(String account, String serial, long id, Instant syncedAt) {
        return new MirroredLock(account, serial, id, "Door " + serial, 2, 1, true, true, null, null, syncedAt, null, null, null);
    }
}
