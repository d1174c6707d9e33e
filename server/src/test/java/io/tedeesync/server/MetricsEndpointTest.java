package io.tedeesync.server;

import io.tedeesync.accounts.AccountSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.client.Credentials;
import io.tedeesync.metrics.PrometheusText;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of the running service against the simulator: three accounts, two that work
 * (home with 3 locks, office with 2) and one whose key is refused (attic).
 */
class MetricsEndpointTest {
    private static final String OFFICE_KEY = "office-personal-key-91c3";
    private static final String REFUSED_KEY = "attic-refused-key-40d2";

    @TempDir
    Path data;

    private ServiceHarness harness;

    @BeforeEach
    void simulator() {
        harness = new ServiceHarness(data);
        harness.simulator.addAccount("office", OFFICE_KEY);
        harness.simulator.addLock("office", "OFC-00001", "Office 1");
        harness.simulator.addLock("office", "OFC-00002", "Office 2");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void defaultScrapeHasNoAccountLabelAndHasJvmAndProcessMetrics() {
        harness.start(this::threeAccounts);
        PrometheusText metrics = scrapeOnceAccountsSettled();
        String body = harness.get("/metrics").body();

        assertThat(body).doesNotContain("account=");
        assertThat(metrics.samples()).allSatisfy(sample -> assertThat(sample.labels()).doesNotContainKey("account"));
        assertThat(metrics.value("tedee_locks")).isEqualTo(5);
        assertThat(metrics.value("tedee_stale_locks")).isZero();
        assertThat(metrics.value("tedee_account_healthy")).as("the attic is the least healthy").isZero();
        assertThat(metrics.value("tedee_accounts", "health", "ok")).isEqualTo(2);
        assertThat(metrics.value("tedee_accounts", "health", "failed")).isEqualTo(1);
        assertThat(metrics.value("tedee_budget_used_requests")).isGreaterThanOrEqualTo(3);
        assertThat(metrics.value("tedee_budget_limit_requests")).isEqualTo(3 * 700);
        assertThat(metrics.value("tedee_budget_used_ratio_count")).isEqualTo(3);
        assertThat(metrics.samples("tedee_api_requests_total")).isNotEmpty()
                .allSatisfy(sample -> assertThat(sample.labels()).containsOnlyKeys("endpoint", "status"))
                .extracting(sample -> sample.labels().get("status")).contains("200", "401");
        assertThat(metrics.samples("tedee_api_request_duration_seconds_count")).isNotEmpty()
                .allSatisfy(sample -> assertThat(sample.labels()).containsOnlyKeys("endpoint"));
        for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes", "jvm_gc_memory_allocated_bytes_total",
                "jvm_info", "process_cpu_usage", "process_files_open_files", "process_uptime_seconds")) {
            assertThat(metrics.samples(jvm)).as(jvm).isNotEmpty();
        }
        assertThat(body).doesNotContain(ServiceHarness.KEY, OFFICE_KEY, REFUSED_KEY, ServiceHarness.WEBHOOK_SECRET);
    }

    @Test
    void withTheFlagEachAccountHasTodaysSeries() {
        harness.start(settings -> threeAccounts(settings).withMetricsPerAccount(true));
        PrometheusText metrics = scrapeOnceAccountsSettled();
        String body = harness.get("/metrics").body();

        assertThat(metrics.value("tedee_locks", "account", "home")).isEqualTo(3);
        assertThat(metrics.value("tedee_locks", "account", "office")).isEqualTo(2);
        assertThat(metrics.value("tedee_locks", "account", "attic")).isZero();
        assertThat(metrics.samples("tedee_locks")).allSatisfy(sample -> assertThat(sample.labels()).containsOnlyKeys("account"));
        assertThat(metrics.value("tedee_stale_locks", "account", "home")).isZero();
        assertThat(metrics.value("tedee_account_healthy", "account", "home")).isEqualTo(1);
        assertThat(metrics.value("tedee_account_healthy", "account", "attic")).isZero();
        assertThat(metrics.value("tedee_budget_used_requests", "account", "attic")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.value("tedee_budget_limit_requests", "account", "office")).isEqualTo(700);
        assertThat(metrics.samples("tedee_api_requests_total"))
                .allSatisfy(sample -> assertThat(sample.labels()).containsOnlyKeys("account", "endpoint", "status"))
                .anySatisfy(sample -> assertThat(sample.labels()).containsEntry("account", "attic").containsEntry("status", "401"));
        assertThat(metrics.samples("tedee_api_request_duration_seconds_count"))
                .allSatisfy(sample -> assertThat(sample.labels()).containsOnlyKeys("account", "endpoint"));
        assertThat(metrics.value("tedee_accounts", "health", "ok")).isEqualTo(2);
        assertThat(body).doesNotContain(ServiceHarness.KEY, OFFICE_KEY, REFUSED_KEY, ServiceHarness.WEBHOOK_SECRET);
    }

    @Test
    void confirmationAgeCountsEveryLockAndALockConfirmedNowIsInTheLowestBucket() {
        // The service's clock stands still: every lock is confirmed at the instant of each scrape.
        harness.settings = harness.defaults();
        harness.service = TedeeSyncService.start(harness.settings, Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/api/locks").body().contains("SRV-00003"));

        HttpResponse<String> response = harness.get("/metrics");
        PrometheusText metrics = PrometheusText.parse(response.body());

        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(metrics.type("tedee_lock_confirmation_age_seconds")).isEqualTo("histogram");
        assertThat(metrics.value("tedee_lock_confirmation_age_seconds_count")).isEqualTo(metrics.value("tedee_locks")).isEqualTo(3);
        assertThat(metrics.value("tedee_lock_confirmation_age_seconds_bucket", "le", "5.0")).isEqualTo(3);
        assertThat(metrics.samples("tedee_lock_confirmation_age_seconds_bucket")).extracting(PrometheusText.Sample::value).containsOnly(3.0);
        assertThat(metrics.value("tedee_lock_confirmation_age_seconds_sum")).isZero();
    }

    /** The harness's account plus office and the refused attic. */
    private ServiceSettings threeAccounts(ServiceSettings settings) {
        List<AccountSpec> accounts = new ArrayList<>(settings.accounts());
        accounts.add(new AccountSpec("office", harness.simulator.baseUrl(), "v37", Credentials.personalKey(OFFICE_KEY), null, null));
        accounts.add(new AccountSpec("attic", harness.simulator.baseUrl(), "v37", Credentials.personalKey(REFUSED_KEY), null, null));
        return new ServiceSettings(accounts, settings.syncInterval(), settings.bind(), settings.port(), settings.dataDir(), null, null, null,
                settings.webhookSecret(), settings.apiToken(), settings.allowUnauthenticatedOperations(), settings.retention(),
                settings.metricsPerAccount(), settings.runtimeAccounts());
    }

    /** The scrape once home and office synced and the attic's key was refused. */
    private PrometheusText scrapeOnceAccountsSettled() {
        return await().atMost(Duration.ofSeconds(15)).until(() -> PrometheusText.parse(harness.get("/metrics").body()),
                metrics -> metrics.value("tedee_accounts", "health", "ok") == 2 && metrics.value("tedee_accounts", "health", "failed") == 1
                        && metrics.samples("tedee_locks").stream().mapToDouble(PrometheusText.Sample::value).sum() == 5);
    }
}
