package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances in this JVM sharing one real PostgreSQL: each account has one owner, the accounts spread
 * evenly and move when instances leave or join, the API's rules hold across owners, and any instance serves
 * every lock, every event (the same ids in the same order), webhooks, operations and account changes.
 * The kill -9 and SIGSTOP cases run in processes: {@link ClusterProcessTest}.
 */
class ClusterTest {
    @TempDir
    Path data;

    private ClusterBed bed;

    @AfterEach
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void accountsAreSharedEvenlyAndMoveWhenAnInstanceLeavesOrJoins() {
        bed = new ClusterBed(data, 6, 1).startInstances(3);
        for (TedeeSyncService instance : bed.live()) {
            assertThat(bed.owned(instance)).hasSize(2);
        }

        bed.stop(bed.instances.get(1));
        bed.awaitEvenSpread();
        for (TedeeSyncService instance : bed.live()) {
            assertThat(bed.owned(instance)).hasSize(3);
        }

        TedeeSyncService joined = bed.startInstance();
        bed.awaitEvenSpread();
        assertThat(bed.owned(joined)).hasSize(2);
        JsonNode health = bed.read(bed.get(joined, "/health"));
        assertThat(health.path("instance").path("name").asText()).isEqualTo("instance-4");
        assertThat(health.path("cluster").path("instances")).anySatisfy(peer -> assertThat(peer.path("alive").asBoolean()).isTrue());
        long alive = 0;
        for (JsonNode peer : health.path("cluster").path("instances")) {
            alive += peer.path("alive").asBoolean() ? 1 : 0;
        }
        assertThat(alive).isEqualTo(3);
        assertThat(bed.get(joined, "/metrics").body())
                .contains("tedee_sync_cluster_instances_alive 3.0")
                .contains("tedee_sync_cluster_owned_accounts 2.0")
                .contains("tedee_sync_cluster_instance{instance=\"" + health.path("instance").path("id").asText() + "\"");
        // Every move above went through a lease: no account was synced twice within the 10 s floor.
        assertThat(bed.simulator.syncCallsTooSoon()).isZero();
    }

    @Test
    void aNewOwnerKeepsThePreviousOwnersFloorAndBudget() {
        bed = new ClusterBed(data, 2, 1).startInstances(2);
        String account = bed.accounts.get(0);
        String serial = ClusterBed.serial(account, 1);
        TedeeSyncService owner = bed.ownerOf(account);
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.read(bed.get(owner, "/api/locks/" + serial)).path("stale").asBoolean() == false);
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.post(owner, "/api/locks/" + serial + "/sync", "").statusCode() == 200);
        Instant synced = Instant.now();
        int usedBefore = requestsLastHour(owner, account);

        bed.stop(owner); // hands the account over, with when it last synced and what it used
        TedeeSyncService next = bed.live().get(0);
        await().atMost(Duration.ofSeconds(15)).until(() -> bed.owned(next).contains(account));

        HttpResponse<String> tooSoon = bed.post(next, "/api/locks/" + serial + "/sync", "");
        if (Duration.between(synced, Instant.now()).compareTo(Duration.ofSeconds(9)) < 0) { // a slow machine may take longer to move it
            assertThat(tooSoon.statusCode()).as("the new owner knows the old one synced < 10 s ago").isEqualTo(429);
            assertThat(tooSoon.headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(requestsLastHour(next, account)).isGreaterThanOrEqualTo(usedBefore);
        assertThat(bed.simulator.syncCallsTooSoon(account)).isZero();
    }

    @Test
    void everyInstanceServesEveryLockAndStreamsTheSameEventsInTheSameOrder() {
        bed = new ClusterBed(data, 6, 1).startInstances(3);
        for (TedeeSyncService instance : bed.live()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.read(bed.get(instance, "/api/locks")).size() == 6);
        }
        List<List<String>> streams = new ArrayList<>();
        for (TedeeSyncService instance : bed.live()) {
            List<String> lines = new CopyOnWriteArrayList<>();
            listen(instance, lines);
            streams.add(lines);
        }
        // Webhooks posted round-robin: most reach an instance that does not own the lock's account and are relayed.
        Instant at = Instant.now();
        int posted = 0;
        for (int round = 0; round < 2; round++) {
            for (String account : bed.accounts) {
                String serial = ClusterBed.serial(account, 1);
                int state = round == 0 ? 2 : 6;
                TedeeSyncService to = bed.live().get(posted++ % 3);
                HttpResponse<String> answer = bed.post(to, "/webhooks/tedee/" + ClusterBed.WEBHOOK_SECRET,
                        bed.lockStatusWebhook(serial, state, at.plusSeconds(round + 1)));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> streams.stream().allMatch(lines -> stateChanges(lines) >= 12));
        List<String> first = frames(streams.get(0));
        for (List<String> other : streams.subList(1, streams.size())) {
            List<String> frames = frames(other);
            int common = Math.min(first.size(), frames.size());
            assertThat(frames.subList(0, common)).isEqualTo(first.subList(0, common));
        }
        List<Long> ids = ids(streams.get(0));
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        // Each webhook's change is recorded once, whoever received it.
        JsonNode changes = bed.read(bed.get(bed.live().get(0), "/api/events?limit=1000"));
        for (String account : bed.accounts) {
            String serial = ClusterBed.serial(account, 1);
            long recorded = 0;
            for (JsonNode event : changes) {
                recorded += event.path("serialNumber").asText().equals(serial) && event.path("type").asText().equals("StateChanged")
                        && "WEBHOOK".equals(event.path("source").asText()) ? 1 : 0;
            }
            assertThat(recorded).as("state changes of %s", serial).isEqualTo(2);
        }
    }

    @Test
    void anOperationAskedOfAnInstanceThatDoesNotOwnTheLockIsCarriedOutByTheOwner() {
        bed = new ClusterBed(data, 3, 1).startInstances(3);
        String account = bed.accounts.get(2);
        String serial = ClusterBed.serial(account, 1);
        TedeeSyncService asked = bed.notOwnerOf(account);
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.get(asked, "/api/locks/" + serial).statusCode() == 200);

        HttpResponse<String> answer = bed.post(asked, "/api/locks/" + serial + "/operations/unlock", "");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(bed.read(answer).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(bed.simulator.lock(serial).stateCode()).isEqualTo(2);
    }

    @Test
    void anAccountAddedAtRuntimeIsPickedUpByTheClusterAndRemovableFromAnyInstance() {
        bed = new ClusterBed(data, 2, 1).startInstances(3);
        TedeeSyncService idle = bed.live().stream().filter(i -> bed.owned(i).isEmpty()).findFirst().orElseThrow();
        HttpResponse<String> idleHealth = bed.get(idle, "/health");
        assertThat(idleHealth.statusCode()).as("an instance owning nothing is well").isEqualTo(200);
        assertThat(bed.read(idleHealth).path("status").asText()).isEqualTo("ok");
        bed.simulator.addAccount("late", "key-of-late-71c2");
        bed.simulator.addLock("late", "CL-LATE-1", "late door");
        String admin = "Bearer " + ClusterBed.ADMIN_TOKEN;
        HttpResponse<String> added = bed.post(bed.live().get(0), "/api/accounts",
                "{\"name\":\"late\",\"personalKey\":\"key-of-late-71c2\"}", "Authorization", admin);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.live().stream().filter(i -> bed.owned(i).contains("late")).count() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.live().stream()
                .allMatch(i -> bed.read(bed.get(i, "/api/locks")).toString().contains("CL-LATE-1")));

        // Every instance lists every account, each with the instance that owns it.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (TedeeSyncService instance : bed.live()) {
                JsonNode listed = bed.read(bed.get(instance, "/api/accounts", "Authorization", admin));
                List<String> names = new ArrayList<>();
                listed.forEach(account -> names.add(account.path("name").asText()));
                assertThat(names).containsExactly("acct-1", "acct-2", "late");
                String ownerName = bed.read(bed.get(bed.ownerOf("late"), "/health")).path("instance").path("name").asText();
                listed.forEach(account -> {
                    if (account.path("name").asText().equals("late")) {
                        assertThat(account.path("instance").asText()).isEqualTo(ownerName);
                    }
                });
            }
        });

        TedeeSyncService other = bed.notOwnerOf("late");
        HttpResponse<String> shown = bed.get(other, "/api/accounts/late", "Authorization", admin);
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        HttpResponse<String> removed = bed.delete(other, "/api/accounts/late?purge=true", "Authorization", admin);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(10)).until(() -> bed.live().stream().noneMatch(i -> bed.owned(i).contains("late")));
        for (TedeeSyncService instance : bed.live()) {
            assertThat(bed.get(instance, "/api/accounts/late", "Authorization", admin).statusCode()).isEqualTo(404);
            assertThat(bed.read(bed.get(instance, "/api/locks")).toString()).doesNotContain("CL-LATE-1");
        }
    }

    @Test
    void anInstanceThatOwnsNothingStreamsTheOthersEventsAsTheDatabaseNotifiesThem() {
        bed = new ClusterBed(data, 2, 1).startInstances(3);
        TedeeSyncService idle = bed.live().stream().filter(i -> bed.owned(i).isEmpty()).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.read(bed.get(idle, "/api/locks")).size() == 2);
        long last = bed.read(bed.get(idle, "/api/config")).path("lastEventId").asLong();
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(bed.url(idle, "/api/events/stream")).header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(last)).build();
        bed.http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAcceptAsync(r -> r.body().forEach(lines::add));

        String serial = ClusterBed.serial("acct-1", 1);
        HttpResponse<String> answer = bed.post(bed.ownerOf("acct-1"), "/webhooks/tedee/" + ClusterBed.WEBHOOK_SECRET,
                bed.lockStatusWebhook(serial, 2, Instant.now()));
        assertThat(answer.statusCode()).isEqualTo(200);

        // Nothing changes in the idle instance's own engine: only the database's notification wakes its stream.
        await().atMost(Duration.ofSeconds(10)).until(() -> stateChanges(lines) == 1);
        assertThat(idle.engine().accounts()).isEmpty();
    }

    @Test
    void aWriteUnderALeaseTakenMeanwhileIsNotStoredAndItsWebhookIsRefused() throws Exception {
        bed = new ClusterBed(data, 1, 1).startInstances(1);
        TedeeSyncService only = bed.live().get(0);
        String serial = ClusterBed.serial("acct-1", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.get(only, "/api/locks/" + serial).statusCode() == 200);
        // Another owner takes the lease behind this instance's back, as one would after a pause past the lease.
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(bed.database, io.tedeesync.store.EmbeddedPostgresHolder.USER, null);
                java.sql.Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE account_lease SET owner = 'thief', fencing = fencing + 1,"
                    + " expires_at = expires_at + 600000 WHERE account = 'acct-1'")).isEqualTo(1);
        }
        long eventsBefore = bed.read(bed.get(only, "/api/events?serialNumber=" + serial + "&limit=1000")).size();

        HttpResponse<String> answer = bed.post(only, "/webhooks/tedee/" + ClusterBed.WEBHOOK_SECRET,
                bed.lockStatusWebhook(serial, 2, Instant.now()));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(bed.read(bed.get(only, "/api/events?serialNumber=" + serial + "&limit=1000")).size()).isEqualTo(eventsBefore);
        assertThat(bed.get(only, "/metrics").body()).containsPattern("tedee_sync_store_fenced_batches_total [1-9]");
        await().atMost(Duration.ofSeconds(10)).until(() -> bed.owned(only).isEmpty());
        assertThat(bed.get(only, "/metrics").body()).contains("tedee_sync_cluster_leases_lost_total 1.0");
    }

    @Test
    void anAccountDeclaredNowhereAnyMoreIsLeftToNobodyAndItsLeaseRowCanBeRemoved() throws Exception {
        bed = new ClusterBed(data, 1, 1).startInstances(2);
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(bed.database, io.tedeesync.store.EmbeddedPostgresHolder.USER, null);
                java.sql.Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO account_lease (account) VALUES ('gone')"); // as an earlier start declared it
        }
        String admin = "Bearer " + ClusterBed.ADMIN_TOKEN;
        // Every instance tries it (the planned one at once, the other once it stayed free 15 heartbeats), cannot open it and
        // leaves it; until then an instance that has not tried says it may be moving (503), after that the row can go.
        java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> removed = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            removed.set(bed.delete(bed.live().get(0), "/api/accounts/gone", "Authorization", admin));
            return removed.get().statusCode() != 503;
        });

        assertThat(removed.get().statusCode()).as(removed.get().body()).isEqualTo(204);
        assertThat(bed.live().stream().noneMatch(i -> bed.owned(i).contains("gone"))).isTrue();
        assertThat(bed.delete(bed.live().get(1), "/api/accounts/gone", "Authorization", admin).statusCode()).as("gone now").isEqualTo(404);
        assertThat(bed.owned(bed.ownerOf("acct-1"))).containsExactly("acct-1");
    }

    private int requestsLastHour(TedeeSyncService instance, String account) {
        for (JsonNode status : bed.read(bed.get(instance, "/health")).path("accounts")) {
            if (status.path("name").asText().equals(account)) {
                return status.path("requestsLastHour").asInt();
            }
        }
        throw new AssertionError(account + " is not on " + instance.port());
    }

    private void listen(TedeeSyncService instance, List<String> lines) {
        HttpRequest request = HttpRequest.newBuilder(bed.url(instance, "/api/events/stream")).header("Accept", "text/event-stream")
                .header("Last-Event-ID", "0").build();
        CompletableFuture<HttpResponse<Stream<String>>> response = bed.http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> r.body().forEach(lines::add));
    }

    private static long stateChanges(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("data:") && line.contains("\"StateChanged\"")).count();
    }

    /** The id and data lines of each event, in order. */
    private static List<String> frames(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("id:") || line.startsWith("data:")).toList();
    }

    private static List<Long> ids(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("id:")).map(l -> Long.parseLong(l.substring(3).trim())).toList();
    }

}
