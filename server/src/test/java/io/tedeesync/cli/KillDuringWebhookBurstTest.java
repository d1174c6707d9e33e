package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.simulator.TedeeSimulator;
import io.tedeesync.store.EventQuery;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.MirroredLock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code serve} in the middle of a webhook burst loses nothing that was acknowledged:
 * a 2xx means merged and written, so every acknowledged state change is in the event log after the crash,
 * and each lock's stored state is its last acknowledged one (or the one in flight when it died). Held in a
 * quick try (2,609 of 2,609); this keeps it held through the engine's rework. A real process, a real
 * SIGKILL, and the SQLite file opened directly afterwards.
 */
class KillDuringWebhookBurstTest {
    private static final String KEY = "burst-test-key";
    private static final String SECRET = "burst-test-webhook-secret";
    private static final int LOCKS = 4;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 300;

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    /** One webhook as sent: lock, state, event time, and whether serve answered 2xx. */
    private record Sent(String serial, int state, Instant eventTime, boolean acknowledged) {
    }

    @Test
    void everyAcknowledgedWebhookSurvivesAKillNineMidBurst() throws Exception {
        Path data = dir.resolve("data");
        Map<String, List<Sent>> sentPerLock = new java.util.HashMap<>();
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("home", KEY);
            Map<String, Long> ids = new java.util.HashMap<>();
            for (int i = 1; i <= LOCKS; i++) {
                String serial = "BURST-" + i;
                ids.put(serial, simulator.addLock("home", serial, "Door " + i));
                simulator.setLockState(serial, 6);
                simulator.setDoorState(serial, 3);
            }
            simulator.start(0);
            try (TedeeSyncProcess serve = TedeeSyncProcess.start(dir, Map.of("TEDEE_PERSONAL_KEY", KEY, "TEDEE_WEBHOOK_SECRET", SECRET),
                    "serve", "--api-url", simulator.baseUrl().toString(), "--port", "0", "--data", data.toString())) {
                URI url = serve.awaitServing();
                serve.awaitStderr(LOCKS + " lock(s) mirrored");

                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI hook = url.resolve("/webhooks/tedee/" + SECRET);
                Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger acknowledged = new AtomicInteger();
                List<String> problems = new CopyOnWriteArrayList<>();
                List<Thread> senders = new ArrayList<>();
                for (Map.Entry<String, Long> lock : ids.entrySet()) {
                    List<Sent> sent = new CopyOnWriteArrayList<>();
                    sentPerLock.put(lock.getKey(), sent);
                    Thread sender = new Thread(() -> burst(http, hook, lock.getKey(), lock.getValue(), base, sent, stop, acknowledged, problems),
                            "burst-" + lock.getKey());
                    sender.start();
                    senders.add(sender);
                }

                await().atMost(Duration.ofSeconds(15)).failFast("serve ended", () -> !serve.isAlive())
                        .until(() -> acknowledged.get() >= ACKNOWLEDGED_BEFORE_KILL);
                serve.kill();
                stop.set(true);
                for (Thread sender : senders) {
                    sender.join(10_000);
                }
                assertThat(problems).isEmpty();
            }
        }

        try (LockStore store = LockStore.open(StoreConfig.sqlite(data))) {
            Map<String, MirroredLock> stored = store.loadLocks().get("default").stream()
                    .collect(Collectors.toMap(MirroredLock::serialNumber, lock -> lock));
            int checked = 0;
            for (Map.Entry<String, List<Sent>> lock : sentPerLock.entrySet()) {
                String serial = lock.getKey();
                List<Sent> sent = lock.getValue();
                Set<String> logged = stateChanges(store, serial);
                List<Sent> acked = sent.stream().filter(Sent::acknowledged).toList();
                assertThat(acked).as(serial).isNotEmpty();
                for (Sent webhook : acked) {
                    assertThat(logged).as("%s at %s acknowledged", serial, webhook.eventTime())
                            .contains(webhook.eventTime() + " -> " + webhook.state());
                }
                checked += acked.size();
                MirroredLock copy = stored.get(serial);
                Sent lastAcked = acked.get(acked.size() - 1);
                int last = sent.indexOf(lastAcked);
                List<Sent> allowed = sent.subList(last, Math.min(sent.size(), last + 2)); // the last acked, or the one in flight
                assertThat(allowed).as("%s stored as %s at %s", serial, copy.lastKnown().stateCode(), copy.stateAt())
                        .anyMatch(webhook -> webhook.eventTime().equals(copy.stateAt()) && webhook.state() == copy.lastKnown().stateCode());
            }
            assertThat(checked).isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
        }
    }

    /** Sends this lock's webhooks one after the other, alternating UNLOCKED and LOCKED a millisecond apart, until told or refused. */
    private void burst(HttpClient http, URI hook, String serial, long lockId, Instant base, List<Sent> sent, AtomicBoolean stop,
            AtomicInteger acknowledged, List<String> problems) {
        for (int n = 1; !stop.get(); n++) {
            int state = n % 2 == 1 ? 2 : 6;
            Instant eventTime = base.plusMillis(n);
            String body = "{\"event\":\"lock-status-changed\",\"timestamp\":\"" + eventTime + "\",\"data\":{\"deviceId\":" + lockId
                    + ",\"deviceType\":2,\"doorState\":3,\"eventTime\":\"" + eventTime + "\",\"state\":" + state + "}}";
            boolean ok;
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(hook).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                ok = response.statusCode() / 100 == 2;
                if (ok && !response.body().contains("\"applied\"")) {
                    problems.add(serial + " #" + n + " was acknowledged but not applied: " + response.body());
                    return;
                }
            } catch (IOException killed) {
                sent.add(new Sent(serial, state, eventTime, false));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sent.add(new Sent(serial, state, eventTime, ok));
            if (ok) {
                acknowledged.incrementAndGet();
            } else {
                return; // refused: the lock's later webhooks could no longer be expected in order
            }
        }
    }

    /** The lock's StateChanged events in the log, as "occurredAt -> toCode". */
    private Set<String> stateChanges(LockStore store, String serial) throws IOException {
        Set<String> changes = new HashSet<>();
        long after = 0;
        while (true) {
            List<StoredEvent> page = store.events(new EventQuery(after, EventQuery.MAX_LIMIT, serial, null));
            for (StoredEvent event : page) {
                if (event.type().equals("StateChanged")) {
                    JsonNode node = json.readTree(event.json());
                    changes.add(event.occurredAt() + " -> " + node.get("toCode").asInt());
                }
                after = event.id();
            }
            if (page.size() < EventQuery.MAX_LIMIT) {
                return changes;
            }
        }
    }
}
