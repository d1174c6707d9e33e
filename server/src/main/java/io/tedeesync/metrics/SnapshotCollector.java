package io.tedeesync.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.tedeesync.sync.AccountHealth;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.EngineSnapshot;
import io.tedeesync.sync.MirroredLock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The engine's figures, built for each scrape from one {@link EngineSnapshot}: the registry calls
 * {@link #collect()} once per scrape, and {@code collect} takes exactly one snapshot and reads every
 * figure from it, so a scrape costs one pass over the accounts and one over the locks, and its figures
 * agree with each other (the locks of {@code tedee_locks} are the ones the age histogram counts).
 *
 * <p>By default the series do not grow with the number of accounts: totals, counts of accounts by
 * health, distributions. With {@code perAccount}, the five per-account families of earlier versions
 * ({@code tedee_locks}, {@code tedee_stale_locks}, {@code tedee_budget_used_requests},
 * {@code tedee_budget_limit_requests}, {@code tedee_account_healthy}) carry an {@code account} label
 * instead of being totals; the rest is the same in both modes.
 *
 * <p>Thread-safe: it keeps nothing between scrapes, so concurrent scrapes each read their own snapshot.
 */
final class SnapshotCollector implements MultiCollector {
    /** Seconds: a 20 s interval confirms within 20-30 s; a copy turns stale at 60 s (3 x the interval). */
    static final double[] AGE_BOUNDS = {5, 10, 20, 30, 60, 120, 300, 900, 3600, Double.POSITIVE_INFINITY};
    /** Share of the hourly budget used. */
    static final double[] BUDGET_BOUNDS = {0.1, 0.25, 0.5, 0.75, 0.9, 1, Double.POSITIVE_INFINITY};

    static final String ACCOUNTS = "tedee_accounts";
    static final String HEALTHY = "tedee_account_healthy";
    static final String LOCKS = "tedee_locks";
    static final String STALE_LOCKS = "tedee_stale_locks";
    static final String BUDGET_USED = "tedee_budget_used_requests";
    static final String BUDGET_LIMIT = "tedee_budget_limit_requests";
    static final String BUDGET_RATIO = "tedee_budget_used_ratio";
    static final String BUDGET_RATIO_MAX = "tedee_budget_used_ratio_max";
    static final String CONFIRMATION_AGE = "tedee_lock_confirmation_age_seconds";
    private static final List<String> NAMES = List.of(ACCOUNTS, HEALTHY, LOCKS, STALE_LOCKS, BUDGET_USED, BUDGET_LIMIT, BUDGET_RATIO,
            BUDGET_RATIO_MAX, CONFIRMATION_AGE);

    private final Supplier<EngineSnapshot> snapshots;
    private final boolean perAccount;

    SnapshotCollector(Supplier<EngineSnapshot> snapshots, boolean perAccount) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.perAccount = perAccount;
    }

    @Override
    public MetricSnapshots collect() {
        EngineSnapshot snapshot = snapshots.get();
        List<AccountStatus> accounts = snapshot.accounts();

        Map<String, int[]> locksByAccount = perAccount ? new HashMap<>(accounts.size() * 2) : null;
        int staleTotal = 0;
        Distribution ages = new Distribution(AGE_BOUNDS);
        for (MirroredLock lock : snapshot.locks()) {
            boolean stale = snapshot.isStale(lock);
            staleTotal += stale ? 1 : 0;
            ages.add(snapshot.confirmedAgo(lock).toMillis() / 1000.0);
            if (perAccount) {
                int[] counts = locksByAccount.computeIfAbsent(lock.account(), account -> new int[2]);
                counts[0]++;
                counts[1] += stale ? 1 : 0;
            }
        }

        int[] byHealth = new int[AccountHealth.values().length];
        Distribution budget = new Distribution(BUDGET_BOUNDS);
        double worstHealth = 1;
        double highestRatio = 0;
        long used = 0;
        long limit = 0;
        List<GaugeDataPointSnapshot> healthy = new ArrayList<>(perAccount ? accounts.size() : 1);
        List<GaugeDataPointSnapshot> locks = new ArrayList<>(perAccount ? accounts.size() : 1);
        List<GaugeDataPointSnapshot> stale = new ArrayList<>(perAccount ? accounts.size() : 1);
        List<GaugeDataPointSnapshot> budgetUsed = new ArrayList<>(perAccount ? accounts.size() : 1);
        List<GaugeDataPointSnapshot> budgetLimit = new ArrayList<>(perAccount ? accounts.size() : 1);
        for (AccountStatus account : accounts) {
            byHealth[account.health().ordinal()]++;
            double health = health(account.health());
            worstHealth = Math.min(worstHealth, health);
            double ratio = ratio(account.requestsLastHour(), account.hourlyLimit());
            budget.add(ratio);
            highestRatio = Math.max(highestRatio, ratio);
            used += account.requestsLastHour();
            limit += account.hourlyLimit();
            if (perAccount) {
                Labels labels = Labels.of("account", account.name());
                int[] counts = locksByAccount.getOrDefault(account.name(), new int[2]);
                healthy.add(point(labels, health));
                locks.add(point(labels, counts[0]));
                stale.add(point(labels, counts[1]));
                budgetUsed.add(point(labels, account.requestsLastHour()));
                budgetLimit.add(point(labels, account.hourlyLimit()));
            }
        }
        if (!perAccount) {
            if (!accounts.isEmpty()) {
                // No account, no worst one: an absent series rather than a made-up 1.
                healthy.add(point(Labels.EMPTY, worstHealth));
            }
            locks.add(point(Labels.EMPTY, snapshot.locks().size()));
            stale.add(point(Labels.EMPTY, staleTotal));
            budgetUsed.add(point(Labels.EMPTY, used));
            budgetLimit.add(point(Labels.EMPTY, limit));
        }

        List<GaugeDataPointSnapshot> accountsByHealth = new ArrayList<>();
        for (AccountHealth health : AccountHealth.values()) {
            accountsByHealth.add(point(Labels.of("health", health.name().toLowerCase(Locale.ROOT)), byHealth[health.ordinal()]));
        }

        List<MetricSnapshot> families = new ArrayList<>(NAMES.size());
        families.add(gauge(ACCOUNTS, "Accounts by health: starting (not synced yet), ok, degraded (calls fail for now), failed (credentials refused)",
                accountsByHealth));
        families.add(gauge(HEALTHY, perAccount
                ? "1 when the account's calls succeed, 0.5 degraded, 0 failed or starting"
                : "The least healthy account: 1 when every account's calls succeed, 0.5 degraded, 0 failed or starting", healthy));
        families.add(gauge(LOCKS, perAccount ? "Locks mirrored" : "Locks mirrored, all accounts", locks));
        families.add(gauge(STALE_LOCKS, perAccount
                ? "Locks whose copy is older than the staleness threshold"
                : "Locks whose copy is older than the staleness threshold, all accounts", stale));
        families.add(gauge(BUDGET_USED, perAccount
                ? "Requests in the last hour, against the hourly limit"
                : "Requests in the last hour, summed over all accounts (each has its own hourly limit)", budgetUsed));
        families.add(gauge(BUDGET_LIMIT, perAccount ? "The account's hourly request limit" : "The hourly request limits, summed over all accounts",
                budgetLimit));
        families.add(budget.histogram(BUDGET_RATIO, "Accounts by the share of their hourly request limit used in the last hour "
                + "(a distribution over the accounts at scrape time, not of events)", Unit.RATIO));
        families.add(gauge(BUDGET_RATIO_MAX, "The highest share of its hourly request limit any account used in the last hour",
                List.of(point(Labels.EMPTY, highestRatio))));
        families.add(ages.histogram(CONFIRMATION_AGE, "Locks by seconds since the API (an answer or a webhook) last confirmed their state, "
                + "at scrape time: a distribution over the mirrored locks, not of events; _count is the number of locks", Unit.SECONDS));
        return new MetricSnapshots(families);
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }

    private static double health(AccountHealth health) {
        switch (health) {
            case OK: return 1;
            case DEGRADED: return 0.5;
            default: return 0;
        }
    }

    private static double ratio(int used, int limit) {
        // SyncSettings keeps the limit at 10 or more; the guard only keeps a NaN out of the exposition.
        return limit > 0 ? (double) used / limit : 0;
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        points.forEach(gauge::dataPoint);
        return gauge.build();
    }

    /** Counts of values per bucket (not cumulative: the exposition adds them up) and their sum. Not thread-safe. */
    private static final class Distribution {
        private final double[] bounds;
        private final long[] counts;
        private double sum;

        Distribution(double[] bounds) {
            this.bounds = bounds;
            this.counts = new long[bounds.length];
        }

        void add(double value) {
            int bucket = 0;
            while (value > bounds[bucket]) {
                bucket++;
            }
            counts[bucket]++;
            sum += value;
        }

        HistogramSnapshot histogram(String name, String help, Unit unit) {
            return HistogramSnapshot.builder().name(name).help(help).unit(unit)
                    .dataPoint(HistogramDataPointSnapshot.builder()
                            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                            .sum(sum)
                            .build())
                    .build();
        }
    }
}
