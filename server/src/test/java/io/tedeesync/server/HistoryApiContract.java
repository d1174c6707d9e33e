package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.client.LockState;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.SyncEvent;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/locks/{serialNumber}/history} over real HTTP, the simulator sending its webhooks to the service,
 * on each store (the subclasses). The sync interval is an hour so that the changes arrive by webhook, as their
 * sources say, and never by a sync that happened to run first. One service per class: each test has a lock of
 * its own (the harness's, or a serial number whose events the test writes itself), so the tests do not see each
 * other's changes, in whatever order they run; but the removal runs last, as it moves the service's clock past
 * the sync floor: the simulator's webhooks, dated on the real clock, would then be older than what the service
 * last confirmed, and a later test's change would be passed over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HistoryApiContract {
    /** The harness's locks and two more, all LOCKED at the start: one for each test that drives one. */
    static final List<String> LOCKS = List.of("SRV-00001", "SRV-00002", "SRV-00003", "SRV-00004", "SRV-00005");

    @TempDir
    static Path data;

    ServiceHarness harness;

    /** The settings on this test's store. */
    abstract ServiceSettings onStore(ServiceSettings settings);

    UnaryOperator<ServiceSettings> settings() {
        return s -> onStore(s.withSyncInterval(Duration.ofHours(1)));
    }

    @BeforeAll
    void start() {
        harness = new ServiceHarness(data);
        for (String serial : LOCKS.subList(3, LOCKS.size())) {
            harness.simulator.addLock("home", serial, "Door " + serial.substring(serial.length() - 1));
            harness.simulator.setLockState(serial, 6);
        }
        harness.start(settings());
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.get("/api/locks").body().contains(LOCKS.get(LOCKS.size() - 1)));
        harness.simulator.registerWebhook(URI.create("http://127.0.0.1:" + harness.service.port() + "/webhooks/tedee/"
                + ServiceHarness.WEBHOOK_SECRET));
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    /** Now on the service's clock (which a test may move on), to the second. */
    Instant now() {
        return harness.clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    JsonNode history(String serial, String query) {
        HttpResponse<String> response = harness.get("/api/locks/" + serial + "/history" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return harness.read(response);
    }

    /** Makes the change in the simulator and waits until the service's view of the lock shows it. */
    void drive(Runnable change, String serial, Predicate<JsonNode> shown) {
        change.run();
        await().atMost(Duration.ofSeconds(30)).until(() -> shown.test(harness.read(harness.get("/api/locks/" + serial))));
    }

    /** Writes events into the service's store as the engine would, one batch of account home. */
    void store(SyncEvent... events) {
        harness.service.storeForTests().onChanges(new ChangeBatch("home", Instant.now(), List.of(events), List.of(), Set.of()));
    }

    static LockEvent.StateChanged stateChanged(String serial, Instant at, LockState from, LockState to, EventSource source) {
        return new LockEvent.StateChanged("home", serial, 7, at, at, source, from, from.code(), to, to.code());
    }

    /** The intervals as "STATE/connected/source" (state null as "null"). */
    static List<String> intervals(JsonNode answer) {
        List<String> shown = new ArrayList<>();
        answer.path("states").forEach(interval -> shown.add(interval.path("state").asText("null") + "/"
                + interval.path("connected").asBoolean() + "/" + interval.path("source").asText()));
        return shown;
    }

    /** Each interval ends where the next starts, inside the answer's range; the last at its end. */
    static void assertContiguous(JsonNode answer, boolean lastEndsAtTheEnd) {
        JsonNode states = answer.path("states");
        Instant from = Instant.parse(answer.path("from").asText());
        Instant to = Instant.parse(answer.path("to").asText());
        for (int i = 0; i < states.size(); i++) {
            Instant start = Instant.parse(states.get(i).path("from").asText());
            Instant end = Instant.parse(states.get(i).path("to").asText());
            assertThat(start).isBefore(end).isAfterOrEqualTo(from);
            assertThat(end).isBeforeOrEqualTo(to);
            if (i + 1 < states.size()) {
                assertThat(states.get(i + 1).path("from").asText()).as("interval %d ends where the next starts", i)
                        .isEqualTo(states.get(i).path("to").asText());
            }
        }
        if (lastEndsAtTheEnd) {
            assertThat(states.get(states.size() - 1).path("to").asText()).isEqualTo(answer.path("to").asText());
        }
    }

    @Test
    void statesDrivenInTheSimulatorAreIntervalsWithTheirSourcesAndTheEventsAsTheLogShowsThem() {
        drive(() -> harness.simulator.setLockState("SRV-00001", 2), "SRV-00001", lock -> lock.path("state").asText().equals("UNLOCKED"));
        drive(() -> harness.simulator.setLockState("SRV-00001", 6), "SRV-00001", lock -> lock.path("state").asText().equals("LOCKED"));

        JsonNode answer = history("SRV-00001", "");

        assertThat(intervals(answer)).containsExactly("LOCKED/true/GET_ALL", "UNLOCKED/true/WEBHOOK", "LOCKED/true/WEBHOOK");
        assertThat(answer.path("states").get(1).path("stateCode").asInt()).isEqualTo(2);
        assertContiguous(answer, true);
        assertThat(answer.path("serialNumber").asText()).isEqualTo("SRV-00001");
        assertThat(answer.path("truncated").asBoolean()).isFalse();
        Instant to = Instant.parse(answer.path("to").asText());
        assertThat(Duration.between(Instant.parse(answer.path("from").asText()), to)).as("the default range").isEqualTo(Duration.ofHours(24));
        assertThat(to).as("now, on the service's clock").isBetween(now().minusSeconds(60), harness.clock.instant());
        JsonNode logged = harness.read(harness.get("/api/events?serialNumber=SRV-00001"));
        assertThat(answer.path("events")).as("every event of the lock so far, as /api/events has them").isEqualTo(logged);
        assertThat(answer.path("events")).extracting(event -> event.path("type").asText())
                .containsExactly("Added", "StateChanged", "StateChanged");
    }

    @Test
    void aDisconnectionIsAnIntervalWithoutStateAndTheReconnectionBringsThePositionBack() {
        drive(() -> harness.simulator.disconnect("SRV-00002"), "SRV-00002", lock -> !lock.path("isConnected").asBoolean());
        drive(() -> harness.simulator.reconnect("SRV-00002"), "SRV-00002",
                lock -> lock.path("isConnected").asBoolean() && lock.path("state").asText().equals("LOCKED"));

        JsonNode answer = history("SRV-00002", "");

        assertThat(intervals(answer)).containsExactly("LOCKED/true/GET_ALL", "null/false/WEBHOOK", "LOCKED/true/WEBHOOK");
        JsonNode offline = answer.path("states").get(1);
        assertThat(offline.has("state")).as("a null state is written, not left out").isTrue();
        assertThat(offline.path("state").isNull()).isTrue();
        assertThat(offline.path("stateCode").isNull()).isTrue();
        assertContiguous(answer, true);
    }

    @Test
    void batteryAndDoorReadingsFollowTheLock() {
        drive(() -> harness.simulator.setBattery("SRV-00003", 55), "SRV-00003", lock -> lock.path("batteryLevel").asInt() == 55);
        drive(() -> harness.simulator.setDoorState("SRV-00003", 2), "SRV-00003", lock -> lock.path("doorState").asText().equals("OPENED"));
        drive(() -> harness.simulator.setDoorState("SRV-00003", 3), "SRV-00003", lock -> lock.path("doorState").asText().equals("CLOSED"));

        JsonNode answer = history("SRV-00003", "");

        assertThat(answer.path("battery")).extracting(reading -> reading.path("level").asInt()).containsExactly(90, 55);
        assertThat(answer.path("door")).extracting(reading -> reading.path("state").asText() + "/" + reading.path("stateCode").asInt())
                .containsExactly("NOT_PAIRED/0", "OPENED/2", "CLOSED/3");
        Instant opened = Instant.parse(answer.path("door").get(1).path("at").asText());
        assertThat(Instant.parse(answer.path("door").get(2).path("at").asText())).isAfter(opened);
        assertThat(intervals(answer)).as("the position did not change").containsExactly("LOCKED/true/GET_ALL");
    }

    @Test
    void aRangeInThePastStartsWithTheStateInEffectThen() {
        Instant base = now().minus(Duration.ofDays(3));
        store(stateChanged("PAST-1", base, LockState.LOCKED, LockState.UNLOCKED, EventSource.SYNC),
                new LockEvent.BatteryChanged("home", "PAST-1", 7, base.plusSeconds(60), base.plusSeconds(60), EventSource.WEBHOOK, 90, 70),
                stateChanged("PAST-1", base.plus(Duration.ofHours(6)), LockState.UNLOCKED, LockState.LOCKED, EventSource.WEBHOOK),
                stateChanged("PAST-1", base.plus(Duration.ofHours(12)), LockState.LOCKED, LockState.UNLOCKED, EventSource.WEBHOOK));
        Instant from = base.plus(Duration.ofHours(3));
        Instant to = base.plus(Duration.ofHours(9));

        JsonNode answer = history("PAST-1", "?from=" + from + "&to=" + to);

        assertThat(answer.path("from").asText()).isEqualTo(from.toString());
        assertThat(answer.path("to").asText()).isEqualTo(to.toString());
        assertThat(intervals(answer)).containsExactly("UNLOCKED/true/SYNC", "LOCKED/true/WEBHOOK");
        assertThat(answer.path("states").get(0).path("from").asText()).isEqualTo(from.toString());
        assertThat(answer.path("states").get(1).path("from").asText()).isEqualTo(base.plus(Duration.ofHours(6)).toString());
        assertContiguous(answer, true);
        assertThat(answer.path("battery")).hasSize(1);
        assertThat(answer.path("battery").get(0).path("at").asText()).isEqualTo(from.toString());
        assertThat(answer.path("battery").get(0).path("level").asInt()).isEqualTo(70);
        assertThat(answer.path("door")).isEmpty();
        assertThat(answer.path("events")).as("only the range's event").hasSize(1);
        assertThat(answer.path("events").get(0).path("occurredAt").asText()).isEqualTo(base.plus(Duration.ofHours(6)).toString());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aRemovedLockKeepsItsHistory() {
        harness.simulator.removeLock("SRV-00004");
        // Past the floor (10 s) and the gap between list refreshes (30 s): the sync of that lock finds it gone, and the list
        // refresh it asks for goes at once.
        harness.clock.advance(Duration.ofSeconds(31));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            harness.post("/api/locks/SRV-00004/sync", "");
            return harness.get("/api/locks/SRV-00004").statusCode() == 404;
        });

        JsonNode answer = history("SRV-00004", "");

        assertThat(intervals(answer)).containsExactly("LOCKED/true/GET_ALL");
        assertContiguous(answer, false);
        JsonNode events = answer.path("events");
        JsonNode removal = events.get(events.size() - 1);
        assertThat(removal.path("type").asText()).isEqualTo("Removed");
        // The log keeps times to the millisecond, and the interval's are the log's.
        assertThat(Instant.parse(answer.path("states").get(0).path("to").asText())).as("the interval ends at the removal")
                .isEqualTo(Instant.parse(removal.path("occurredAt").asText()).truncatedTo(ChronoUnit.MILLIS));
    }
}
