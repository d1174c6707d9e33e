package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 accounts added and removed at runtime, over the API, leave nothing behind: no thread, no timer,
 * and not one live object of theirs (counted by class in a heap histogram, which runs a full GC first).
 * The figures (time per add and remove, heap) are printed for the closing note, not asserted.
 */
class AccountChurnTest {
    private static final int ACCOUNTS = 1_000;
    /** Objects each account holds while it runs; none may outlive it. */
    private static final Set<String> PER_ACCOUNT = Set.of("io.tedeesync.sync.internal.AccountWorker", "io.tedeesync.sync.Mirror",
            "io.tedeesync.client.TedeeClient", "io.tedeesync.client.RotatableCredentials", "io.tedeesync.accounts.RuntimeAccount",
            "io.tedeesync.sync.internal.RequestBudget", "io.tedeesync.store.StoredAccount");
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*");

    @TempDir
    Path data;

    @Test
    void addingAndRemoving1000AccountsLeavesNoThreadTimerOrObjectBehind() throws Exception {
        try (ServiceHarness harness = new ServiceHarness(data)) {
            for (int i = 0; i < ACCOUNTS; i++) {
                harness.simulator.addAccount("churn-" + i, "churn-key-" + i);
                harness.simulator.addLock("churn-" + i, String.format("CHN-%05d", i), "Churn " + i);
            }
            harness.start(s -> s.withRuntimeAccounts(harness.runtimeAccounts(AccountsApiContract.ADMIN, AccountsApiContract.SECRET_KEY,
                    null)));
            await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/api/locks").body().contains("SRV-00003"));
            churn(harness); // once to warm up: classes, pools and caches reach their size
            Map<String, Long> before = liveObjects();
            int threadsBefore = threadsOutsideJetty();
            int tasksBefore = harness.service.scheduledTasks();
            long heapBefore = usedHeap();

            long[] millis = churn(harness);

            Map<String, Long> after = liveObjects();
            for (String type : PER_ACCOUNT) {
                assertThat(after.getOrDefault(type, 0L)).as("live %s", type).isLessThanOrEqualTo(before.getOrDefault(type, 0L));
            }
            assertThat(after.getOrDefault("io.tedeesync.sync.internal.AccountWorker", 0L)).as("only the declared account's").isEqualTo(1);
            assertThat(threadsOutsideJetty()).isLessThanOrEqualTo(threadsBefore);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(harness.service.scheduledTasks()).as("timers").isLessThanOrEqualTo(Math.max(tasksBefore, 4)));
            assertThat(harness.read(harness.get("/api/accounts", AccountsApiContract.AS_ADMIN))).hasSize(1);
            System.out.printf("churn of %d accounts: add %d ms (%.1f ms each), remove %d ms (%.1f ms each); heap after GC %d KB before,"
                    + " %d KB after; %d threads outside Jetty%n", ACCOUNTS, millis[0], millis[0] / (double) ACCOUNTS, millis[1],
                    millis[1] / (double) ACCOUNTS, heapBefore / 1024, usedHeap() / 1024, threadsOutsideJetty());
        }
    }

    /** Adds every account over the API, waits until each synced its lock, removes them all; the milliseconds of each half. */
    private static long[] churn(ServiceHarness harness) {
        long start = System.nanoTime();
        for (int i = 0; i < ACCOUNTS; i++) {
            HttpResponse<String> added = harness.post("/api/accounts", "{\"name\":\"churn-" + i + "\",\"personalKey\":\"churn-key-" + i + "\"}",
                    AccountsApiContract.AS_ADMIN);
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        }
        long added = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.read(harness.get("/api/locks")).size() == ACCOUNTS + 3);
        long removing = System.nanoTime();
        for (int i = 0; i < ACCOUNTS; i++) {
            HttpResponse<String> removed = harness.delete("/api/accounts/churn-" + i + "?purge=true", AccountsApiContract.AS_ADMIN);
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
        }
        long done = System.nanoTime();
        assertThat(harness.read(harness.get("/api/locks"))).hasSize(3);
        return new long[] {(added - start) / 1_000_000, (done - removing) / 1_000_000};
    }

    /** Live instances by class name, from a heap histogram (which collects garbage first). */
    private static Map<String, Long> liveObjects() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
        Map<String, Long> counts = new HashMap<>();
        for (String line : histogram.split("\n")) {
            Matcher matcher = HISTOGRAM_LINE.matcher(line);
            if (matcher.matches()) {
                counts.merge(matcher.group(3), Long.parseLong(matcher.group(1)), Long::sum);
            }
        }
        assertThat(counts).as("the histogram was read").containsKey("java.lang.String");
        return counts;
    }

    private static int threadsOutsideJetty() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> !thread.getName().startsWith("tedee-http")).count();
    }

    private static long usedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
