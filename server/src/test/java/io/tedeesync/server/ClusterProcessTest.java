package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.TedeeSimulator;
import io.tedeesync.store.EmbeddedPostgresHolder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code tedee-sync serve} processes on one real PostgreSQL, with the production heartbeat (2 s) and
 * leases (10 s): one killed with {@code kill -9} has its accounts taken over within 30 s while webhooks posted
 * round-robin to all three are each recorded exactly once; one stopped with SIGSTOP past its lease writes and
 * syncs nothing after it resumes, and no change is recorded twice.
 */
class ClusterProcessTest {
    private static final String SECRET = "process-webhook-secret-51aa";
    private static final int ACCOUNTS = 6;

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private TedeeSimulator simulator;
    private String database;
    /** The instance stopped with SIGSTOP, to which nothing is posted (it would hold the request), or -1. */
    private int paused = -1;

    @AfterEach
    void stop() {
        for (Process process : processes) {
            resume(process);
            process.destroyForcibly();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void aKilledInstancesAccountsAreTakenOverWithin30sAndNoWebhookIsLostOrDoubled() throws Exception {
        startCluster();
        int victim = 1;
        List<String> victimAccounts = owned(victim);
        assertThat(victimAccounts).isNotEmpty();
        Map<String, Integer> changes = new HashMap<>();

        // Changes before, during and after the kill, each sent as a webhook to the next instance in turn, retried
        // until one answers 2xx, as a webhook sender retries.
        int next = 0;
        next = postChanges(changes, 2, next);
        Instant killedAt = Instant.now();
        processes.get(victim).destroyForcibly().waitFor();
        next = postChanges(changes, 3, next);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> survivorsOwn(victim).containsAll(victimAccounts));
        Duration takeover = Duration.between(killedAt, Instant.now());
        assertThat(takeover).isLessThan(Duration.ofSeconds(30));
        postChanges(changes, 2, next);

        // The taken-over accounts call Tedee again, from their new owners, within 30 s of the kill.
        await().atMost(Duration.ofSeconds(30)).until(() -> victimAccounts.stream().allMatch(account -> firstCallSince(account, killedAt) != null));
        Instant resumed = victimAccounts.stream().map(account -> firstCallSince(account, killedAt)).max(Instant::compareTo).orElseThrow();
        assertThat(Duration.between(killedAt, resumed)).isLessThan(Duration.ofSeconds(30));
        System.out.printf("kill -9: accounts owned elsewhere after %d ms, calling Tedee again after %d ms%n", takeover.toMillis(),
                Duration.between(killedAt, resumed).toMillis());
        awaitRecordedOnce(changes);
        assertThat(simulator.syncCallsTooSoon()).isZero();
    }

    @Test
    void anInstancePausedPastItsLeaseWritesAndSyncsNothingAfterItResumes() throws Exception {
        startCluster();
        paused = 0;
        List<String> pausedAccounts = owned(paused);
        assertThat(pausedAccounts).isNotEmpty();
        long pid = processes.get(paused).pid();
        signal("STOP", pid);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> survivorsOwn(paused).containsAll(pausedAccounts));
        Map<String, Integer> changes = new HashMap<>();
        postChanges(changes, 3, 1);
        Instant resumedAt = Instant.now();
        signal("CONT", pid);
        int resumed = paused;
        paused = -1;

        // It notices at its next heartbeat that its leases were taken, and drops those accounts unwritten.
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(resumed, "tedee_sync_cluster_leases_lost_total") >= pausedAccounts.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> evenlyOwned());
        awaitRecordedOnce(changes);
        // Nothing the paused instance had planned went out: every call after it resumed kept the floor.
        assertThat(simulator.syncCallsTooSoon()).isZero();
        assertThat(simulator.requests().stream().filter(request -> request.at().isAfter(resumedAt))).isNotEmpty();
    }

    private void startCluster() throws Exception {
        simulator = TedeeSimulator.builder().operationDelay(Duration.ofMillis(100)).build();
        StringBuilder file = new StringBuilder("{\"accounts\":[");
        for (int a = 1; a <= ACCOUNTS; a++) {
            String account = "acct-" + a;
            simulator.addAccount(account, ClusterBed.key(account));
            simulator.addLock(account, ClusterBed.serial(account, 1), account + " door");
            simulator.setLockState(ClusterBed.serial(account, 1), 6);
            file.append(a > 1 ? "," : "").append("{\"name\":\"").append(account).append("\",\"personalKey\":\"")
                    .append(ClusterBed.key(account)).append("\"}");
        }
        simulator.start(0);
        Path accounts = Files.writeString(data.resolve("accounts.json"), file.append("]}").toString());
        database = EmbeddedPostgresHolder.newDatabase();
        for (int i = 0; i < 3; i++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            ports.add(port);
            Path log = data.resolve("instance-" + i + ".log");
            ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "io.tedeesync.cli.TedeeSyncCommand", "serve", "--accounts", accounts.toString(), "--api-url",
                    simulator.baseUrl().toString(), "--database", database, "--database-user", EmbeddedPostgresHolder.USER,
                    "--port", Integer.toString(port), "--data", data.resolve("data-" + i).toString(), "--webhook-secret", SECRET,
                    "--allow-unauthenticated-operations", "--sync-interval", "10s", "--instance-name", "process-" + i)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            processes.add(builder.start());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(this::evenlyOwned);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Makes {@code rounds} changes to every lock, each as a webhook to the next live instance in turn; returns the next turn. */
    private int postChanges(Map<String, Integer> changes, int rounds, int turn) throws InterruptedException {
        for (int round = 0; round < rounds; round++) {
            for (int a = 1; a <= ACCOUNTS; a++) {
                String serial = ClusterBed.serial("acct-" + a, 1);
                int state = simulator.lock(serial).stateCode() == 6 ? 2 : 6;
                simulator.setLockState(serial, state);
                Instant at = Instant.now();
                String body = "{\"event\":\"lock-status-changed\",\"timestamp\":\"" + at + "\",\"data\":{\"deviceId\":"
                        + simulator.lock(serial).id() + ",\"state\":" + state + ",\"doorState\":0,\"eventTime\":\"" + at + "\"}}";
                turn = deliver(body, turn);
                changes.merge(serial, 1, Integer::sum);
            }
        }
        return turn;
    }

    /** Posts until an instance answers 2xx, to the next one after a refusal or a 503, as a sender retries; returns the next turn. */
    private int deliver(String body, int turn) {
        int[] next = {turn};
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> tryDeliver(body, next));
        return next[0];
    }

    private boolean tryDeliver(String body, int[] turn) throws InterruptedException {
        int index = turn[0]++ % ports.size();
        if (index == paused) {
            return false;
        }
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(index)
                    + "/webhooks/tedee/" + SECRET)).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() / 100 == 2;
        } catch (IOException refusedOrTimedOut) {
            return false; // the next instance
        }
    }

    /** Each change to a lock is in the event log exactly once, whichever instance recorded it. */
    private void awaitRecordedOnce(Map<String, Integer> changes) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode events = read(get(livePort(), "/api/events?limit=1000"));
            for (Map.Entry<String, Integer> change : changes.entrySet()) {
                long recorded = 0;
                for (JsonNode event : events) {
                    recorded += event.path("serialNumber").asText().equals(change.getKey())
                            && event.path("type").asText().equals("StateChanged") ? 1 : 0;
                }
                assertThat(recorded).as("state changes recorded for %s", change.getKey()).isEqualTo(change.getValue().longValue());
            }
        });
    }

    /** When the account's first answered call after {@code since} arrived, or null. */
    private Instant firstCallSince(String account, Instant since) {
        for (RecordedRequest request : simulator.requests()) {
            if (account.equals(request.account()) && request.at().isAfter(since) && request.status() == 200) {
                return request.at();
            }
        }
        return null;
    }

    private boolean evenlyOwned() {
        Set<String> seen = new HashSet<>();
        int live = 0;
        List<List<String>> shares = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive()) {
                continue;
            }
            live++;
            List<String> owned = owned(i);
            shares.add(owned);
            for (String account : owned) {
                if (!seen.add(account)) {
                    return false;
                }
            }
        }
        int share = (ACCOUNTS + live - 1) / live;
        return seen.size() == ACCOUNTS && shares.stream().allMatch(owned -> owned.size() <= share);
    }

    private Set<String> survivorsOwn(int excluded) {
        Set<String> owned = new HashSet<>();
        for (int i = 0; i < processes.size(); i++) {
            if (i != excluded && processes.get(i).isAlive()) {
                owned.addAll(owned(i));
            }
        }
        return owned;
    }

    private List<String> owned(int instance) {
        try {
            JsonNode health = read(get(ports.get(instance), "/health"));
            List<String> owned = new ArrayList<>();
            health.path("cluster").path("ownedAccounts").forEach(name -> owned.add(name.asText()));
            return owned;
        } catch (RuntimeException notUpYet) {
            return List.of();
        }
    }

    private double metric(int instance, String name) {
        for (String line : get(ports.get(instance), "/metrics").body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private int livePort() {
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).isAlive()) {
                return ports.get(i);
            }
        }
        throw new AssertionError("no instance alive");
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static void resume(Process process) {
        if (process.isAlive()) {
            try {
                signal("CONT", process.pid());
            } catch (IOException | InterruptedException e) {
                // it is killed next
            }
        }
    }
}
