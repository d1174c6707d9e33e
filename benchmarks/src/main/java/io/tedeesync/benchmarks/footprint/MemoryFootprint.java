package io.tedeesync.benchmarks.footprint;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DeviceType;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.TaskScheduler;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Heap the engine keeps per account and per lock: builds an engine of N accounts with no locks, then
 * one of N accounts with L locks each (seeded copies, as {@code serve} starts from its store: the same
 * objects a sync leaves), and measures the heap after a full GC each time. Nothing is started, so no
 * call is made; what is measured is what stays.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tedeesync.benchmarks.footprint.MemoryFootprint 10000 5</pre>
 */
public final class MemoryFootprint {
    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int locks = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        ExecutorService httpThreads = Executors.newFixedThreadPool(2);
        HttpClient http = TedeeClient.newHttpClient(httpThreads, Duration.ofSeconds(5));
        try {
            long base = heapAfterGc();
            SyncEngine empty = engine(accounts, 0, http, scheduler);
            long withAccounts = heapAfterGc();
            empty.close();
            empty = null;
            long base2 = heapAfterGc();
            SyncEngine full = engine(accounts, locks, http, scheduler);
            long withLocks = heapAfterGc();
            double perAccount = (withAccounts - base) / (double) accounts;
            double perLock = ((withLocks - base2) - (withAccounts - base)) / (double) (accounts * (long) locks);
            System.out.printf("accounts=%d locksPerAccount=%d%n", accounts, locks);
            System.out.printf("heap: %d MB for the accounts alone, %d MB with the locks%n", (withAccounts - base) >> 20, (withLocks - base2) >> 20);
            System.out.printf("bytes per account (no locks): %.0f%n", perAccount);
            System.out.printf("bytes per lock: %.0f%n", perLock);
            System.out.println(full.locks().size() + " locks held");
            full.close();
        } finally {
            scheduler.shutdownNow();
            httpThreads.shutdownNow();
        }
    }

    private static SyncEngine engine(int accounts, int locks, HttpClient http, ScheduledExecutorService scheduler) {
        SyncEngine.Builder builder = SyncEngine.builder().scheduler(TaskScheduler.of(scheduler));
        Instant at = Instant.parse("2026-12-01T08:00:00Z");
        long id = 1;
        for (int a = 0; a < accounts; a++) {
            String name = "account-" + a;
            builder.account(AccountConfig.of(name, TedeeClient.builder().baseUrl("http://127.0.0.1:9").personalKey("key-" + a).httpClient(http)));
            List<MirroredLock> seed = new ArrayList<>(locks);
            for (int l = 0; l < locks; l++) {
                DeviceState state = new DeviceState(6, 3, 80, false, 0, at);
                seed.add(new MirroredLock(name, String.format("%08d-%06d", a, l), id++, "Lock " + l, DeviceType.LOCK_PRO.code(), 1, true, true,
                        state, null, at, at, at, at));
            }
            builder.seed(name, seed);
        }
        return builder.build();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
