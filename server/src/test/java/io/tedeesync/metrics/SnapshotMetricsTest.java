package io.tedeesync.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.sync.EngineSnapshot;
import io.tedeesync.sync.SyncEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The figures read from the engine's snapshot, against real engines of many accounts that make no call:
 * how large a scrape is, how many snapshots it takes, and where the confirmation ages land.
 */
class SnapshotMetricsTest {

    @Test
    void defaultScrapeIsAsLongForTwoThousandAccountsAsForTen() {
        String ten = scrape(EngineOfManyAccounts.of(10, 5, Duration.ofSeconds(3)), false);
        String twoThousand = scrape(EngineOfManyAccounts.of(2_000, 5, Duration.ofSeconds(3)), false);

        assertThat(ownLines(twoThousand)).hasSize(ownLines(ten).size()).hasSizeLessThan(100);
        assertThat(twoThousand).doesNotContain("account=", "account-0", EngineOfManyAccounts.KEY_PREFIX);
        PrometheusText metrics = PrometheusText.parse(twoThousand);
        assertThat(metrics.value("tedee_locks")).isEqualTo(10_000);
        assertThat(metrics.value("tedee_stale_locks")).as("never synced: all stale").isEqualTo(10_000);
        assertThat(metrics.value("tedee_accounts", "health", "starting")).isEqualTo(2_000);
        assertThat(metrics.value("tedee_accounts", "health", "ok")).isZero();
        assertThat(metrics.value("tedee_account_healthy")).as("the least healthy account").isZero();
        assertThat(metrics.value("tedee_budget_limit_requests")).isEqualTo(2_000 * 700);
        assertThat(metrics.value("tedee_budget_used_ratio_count")).isEqualTo(2_000);
        assertThat(metrics.value("tedee_lock_confirmation_age_seconds_count")).isEqualTo(10_000);
    }

    @Test
    void perAccountScrapeHasEachAccountUnderTodaysNames() {
        String scrape = scrape(EngineOfManyAccounts.of(2_000, 5, Duration.ofSeconds(3)), true);

        PrometheusText metrics = PrometheusText.parse(scrape);
        for (String name : List.of("tedee_locks", "tedee_stale_locks", "tedee_budget_used_requests", "tedee_budget_limit_requests",
                "tedee_account_healthy")) {
            assertThat(metrics.samples(name)).as(name).hasSize(2_000).allSatisfy(sample -> assertThat(sample.labels()).containsOnlyKeys("account"));
        }
        assertThat(metrics.value("tedee_locks", "account", "account-01234")).isEqualTo(5);
        assertThat(metrics.value("tedee_stale_locks", "account", "account-01234")).isEqualTo(5);
        assertThat(metrics.value("tedee_budget_limit_requests", "account", "account-00007")).isEqualTo(700);
        assertThat(metrics.value("tedee_account_healthy", "account", "account-00007")).isZero();
        assertThat(metrics.value("tedee_accounts", "health", "starting")).as("bounded families stay").isEqualTo(2_000);
        assertThat(scrape).doesNotContain(EngineOfManyAccounts.KEY_PREFIX);
    }

    @Test
    void eachScrapeTakesExactlyOneSnapshot() {
        SyncEngine engine = EngineOfManyAccounts.of(50, 5, Duration.ofSeconds(3));
        AtomicInteger snapshots = new AtomicInteger();
        Supplier<EngineSnapshot> counted = () -> {
            snapshots.incrementAndGet();
            return engine.snapshot();
        };
        try (SyncMetrics metrics = new SyncMetrics(true)) {
            metrics.watch(counted);
            assertThat(snapshots).as("none before a scrape").hasValue(0);

            metrics.scrape();
            assertThat(snapshots).hasValue(1);
            metrics.scrape();
            metrics.scrape();
            assertThat(snapshots).hasValue(3);
        } finally {
            engine.close();
        }
    }

    @Test
    void confirmationAgePutsEachLockInItsBucket() {
        // Bounds are inclusive (le); a confirmation after the snapshot's time counts as now.
        String scrape = scrape(EngineOfManyAccounts.oneAccount(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(7),
                Duration.ofSeconds(45), Duration.ofSeconds(200), Duration.ofSeconds(5_000), Duration.ofSeconds(-30)), false);

        PrometheusText metrics = PrometheusText.parse(scrape);
        assertThat(metrics.type("tedee_lock_confirmation_age_seconds")).isEqualTo("histogram");
        assertThat(metrics.help("tedee_lock_confirmation_age_seconds")).contains("not of events");
        assertThat(buckets(metrics)).containsExactly(3.0, 4.0, 4.0, 4.0, 5.0, 5.0, 6.0, 6.0, 6.0, 7.0);
        assertThat(metrics.samples("tedee_lock_confirmation_age_seconds_bucket")).extracting(s -> s.labels().get("le"))
                .containsExactly("5.0", "10.0", "20.0", "30.0", "60.0", "120.0", "300.0", "900.0", "3600.0", "+Inf");
        assertThat(metrics.value("tedee_lock_confirmation_age_seconds_count")).isEqualTo(metrics.value("tedee_locks")).isEqualTo(7);
        assertThat(metrics.value("tedee_lock_confirmation_age_seconds_sum")).isEqualTo(0 + 5 + 7 + 45 + 200 + 5_000 + 0);
    }

    private static List<Double> buckets(PrometheusText metrics) {
        return metrics.samples("tedee_lock_confirmation_age_seconds_bucket").stream().map(PrometheusText.Sample::value).toList();
    }

    private static String scrape(SyncEngine engine, boolean perAccount) {
        try (SyncMetrics metrics = new SyncMetrics(perAccount)) {
            metrics.watch(engine);
            return metrics.scrape();
        } finally {
            engine.close();
        }
    }

    /** Our lines, without the JVM's (a garbage collection between two scrapes adds some of those). */
    private static List<String> ownLines(String scrape) {
        return scrape.lines().filter(line -> line.contains("tedee_")).toList();
    }
}
