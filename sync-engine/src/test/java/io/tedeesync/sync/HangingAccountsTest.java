package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.client.TedeeClient;
import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * Accounts whose calls hang (Tedee or the network never answers) must not change anything for the
 * others: no thread, connection or place is held for them that a healthy account needs.
 */
class HangingAccountsTest {
    private static final int HEALTHY = 18;
    private static final int HANGING = 2;

    /** Each healthy account's requests (virtual time, method, path, query), with or without hanging accounts beside them. */
    private static Map<String, List<String>> healthyTimelines(boolean withHangingAccounts) throws Exception {
        try (EngineHarness harness = new EngineHarness(); Silence silence = new Silence()) {
            harness.time.hangingAt(silence);
            List<String> healthy = new ArrayList<>();
            for (int i = 1; i <= HEALTHY; i++) {
                healthy.add("ok" + i);
                harness.account("ok" + i, "key-ok" + i, 3);
            }
            List<String> hanging = new ArrayList<>();
            if (withHangingAccounts) {
                for (int i = 1; i <= HANGING; i++) {
                    hanging.add("hang" + i);
                }
            }
            harness.start(b -> {
                // The hanging accounts first: they take their places in the start-up limit before anyone else.
                hanging.forEach(name -> b.account(AccountConfig.of(name, TedeeClient.builder().baseUrl(silence.baseUrl())
                        .personalKey("key-" + name).clock(harness.time).requestTimeout(Duration.ofSeconds(30))))); // deadline 4 x 30 s, virtual
                healthy.forEach(name -> b.account(harness.config(name, "key-" + name)));
                // Exactly as many start-up places as hanging accounts: they take them all first.
                return b.startupConcurrency(HANGING);
            });
            // The same 3 minutes after the healthy accounts could start: 2 s later beside the hanging ones.
            harness.advance(Duration.ofMinutes(3).plusSeconds(withHangingAccounts ? 2 : 0));

            if (withHangingAccounts) {
                for (String name : hanging) {
                    assertThat(harness.engine.accounts().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow().health())
                            .as("%s never answered", name).isEqualTo(AccountHealth.DEGRADED);
                }
            }
            Map<String, List<String>> timelines = new LinkedHashMap<>();
            for (String name : healthy) {
                timelines.put(name, harness.requests(name).stream().map(HangingAccountsTest::describe).toList());
            }
            return timelines;
        }
    }

    private static String describe(RecordedRequest request) {
        return request.at() + " " + request.method() + " " + request.path() + "?" + request.query();
    }

    /** The same timelines, every request {@code shift} later. */
    private static Map<String, List<String>> shifted(Map<String, List<String>> timelines, Duration shift) {
        Map<String, List<String>> moved = new LinkedHashMap<>();
        timelines.forEach((account, timeline) -> moved.put(account, timeline.stream().map(line -> {
            int space = line.indexOf(' ');
            return java.time.Instant.parse(line.substring(0, space)).plus(shift) + line.substring(space);
        }).toList()));
        return moved;
    }

    /**
     * The hanging accounts hold every start-up place; 2 s later (the slow-call time) their calls step
     * aside and the healthy accounts start: from then on every request of theirs is at the time it would
     * have had without any hanging account, shifted by those 2 s, for 3 minutes of syncing. A gate that
     * kept the places for the calls' 2-minute deadline, or any coupling of accounts later on, breaks this.
     */
    @Test
    void tenPercentOfAccountsHangingChangeNotOneRequestOfTheOthers() throws Exception {
        Map<String, List<String>> alone = healthyTimelines(false);
        Map<String, List<String>> besideHanging = healthyTimelines(true);

        assertThat(alone.values()).allSatisfy(timeline -> assertThat(timeline).hasSizeGreaterThan(8)); // get-all and a sync every 20 s
        assertThat(besideHanging).isEqualTo(shifted(alone, Duration.ofSeconds(2)));
    }

    /**
     * On real threads (two for the engine, two for the shared HTTP client, as {@code serve} runs): every
     * healthy account has its locks while the hanging accounts' calls are still unanswered. A design that
     * held a thread per call in flight would have the healthy ones wait until the hanging calls time out.
     */
    @Test
    void onRealThreadsHealthyAccountsLoadWhileTheHangingCallsAreStillOpen() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        ExecutorService httpThreads = Executors.newFixedThreadPool(2);
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.start(0);
            HttpClient http = TedeeClient.newHttpClient(httpThreads, Duration.ofSeconds(5));
            SyncEngine.Builder builder = SyncEngine.builder().scheduler(TaskScheduler.of(scheduler)).startupConcurrency(4);
            List<String> healthySerials = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                String name = (i % 10 == 0 ? "hang" : "ok") + i;
                simulator.addAccount(name, "key-" + name);
                simulator.addLock(name, "RT-" + i, "Door " + i);
                if (name.startsWith("hang")) {
                    simulator.injectFault(Fault.slow(Duration.ofSeconds(30)), 1_000, name);
                } else {
                    healthySerials.add("RT-" + i);
                }
                builder.account(AccountConfig.of(name, TedeeClient.builder().baseUrl(simulator.baseUrl()).personalKey("key-" + name)
                        .httpClient(http).requestTimeout(Duration.ofSeconds(20))));
            }
            SyncEngine engine = builder.build();
            try {
                engine.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> healthySerials.stream().allMatch(s -> engine.lock(s).isPresent()));

                assertThat(engine.accounts()).filteredOn(a -> a.name().startsWith("hang"))
                        .as("the hanging calls are still open: neither answered nor timed out").hasSize(3)
                        .allSatisfy(a -> assertThat(a.health()).isEqualTo(AccountHealth.STARTING));
            } finally {
                engine.close();
            }
        } finally {
            scheduler.shutdownNow();
            httpThreads.shutdownNow();
        }
    }
}
