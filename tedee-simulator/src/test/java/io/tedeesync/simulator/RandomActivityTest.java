package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomActivityTest {

    private static final Duration MEAN_GAP = Duration.ofMinutes(1);

    @Test
    void sameSeedAndSameClockStepsGiveTheSameVisibleStates() {
        try (Harness first = seeded(7); Harness second = seeded(7)) {
            Set<String> distinct = new HashSet<>();
            for (int step = 0; step < 120; step++) {
                first.clock.advance(Duration.ofSeconds(20));
                second.clock.advance(Duration.ofSeconds(20));

                String seenByFirst = first.get("/api/v37/my/lock/sync", ALICE_KEY).body();
                String seenBySecond = second.get("/api/v37/my/lock/sync", ALICE_KEY).body();

                assertThat(seenBySecond).isEqualTo(seenByFirst);
                distinct.add(seenByFirst);
            }
            assertThat(distinct).as("the locks moved").hasSizeGreaterThan(20);
        }
    }

    @Test
    void historyDoesNotDependOnHowOftenTheClockIsRead() {
        try (Harness often = seeded(11); Harness once = seeded(11)) {
            List<SimLock> initial = once.sim.locks();
            for (int step = 0; step < 720; step++) {
                often.passes(Duration.ofSeconds(5));
            }
            once.passes(Duration.ofHours(1));

            assertThat(once.sim.locks()).isEqualTo(often.sim.locks()).isNotEqualTo(initial);
        }
    }

    @Test
    void differentSeedsGiveDifferentHistories() {
        try (Harness one = seeded(1); Harness other = seeded(2)) {
            one.passes(Duration.ofHours(1));
            other.passes(Duration.ofHours(1));

            assertThat(one.sim.locks()).isNotEqualTo(other.sim.locks());
        }
    }

    @Test
    void activityIsMostlyKnobTurnsWithDoorBatteryAndConnectionNowAndThen() {
        try (Harness harness = seeded(3)) {
            WebhookReceiver receiver = new WebhookReceiver();
            try (receiver) {
                harness.sim.registerWebhook(receiver.url());
                harness.passes(Duration.ofHours(6));

                List<String> events = new ArrayList<>();
                receiver.received().forEach(body -> events.add(body.get("event").asText()));
                long statusChanges = events.stream().filter("lock-status-changed"::equals).count();
                assertThat(statusChanges).isGreaterThan(events.size() / 2);
                assertThat(events).contains("device-battery-level-changed", "device-connection-changed");
                assertThat(receiver.received("lock-status-changed"))
                        .anySatisfy(body -> assertThat(body.get("data").get("doorState").asInt()).isEqualTo(2));
                assertThat(receiver.received("lock-status-changed")).allSatisfy(body ->
                        assertThat(body.get("data").get("state").asInt()).isIn(2, 3, 6));
            }
        }
    }

    @Test
    void stoppingFreezesTheLocks() {
        try (Harness harness = seeded(5)) {
            harness.passes(Duration.ofMinutes(30));
            harness.sim.stopRandomActivity();
            harness.passes(Duration.ofHours(2)); // a reconnect in flight still lands
            List<SimLock> frozen = harness.sim.locks();

            harness.passes(Duration.ofHours(5));

            assertThat(harness.sim.locks()).isEqualTo(frozen);
        }
    }

    @Test
    void locksAddedLaterJoinTheActivity() {
        try (Harness harness = seeded(9)) {
            harness.sim.addLock("alice", "999999-99999", "Late door");
            SimLock before = harness.sim.lock("999999-99999");

            harness.passes(Duration.ofHours(1));

            assertThat(harness.sim.lock("999999-99999")).isNotEqualTo(before);
        }
    }

    /** Three locks, one with a door sensor, random activity on. */
    private static Harness seeded(long seed) {
        Harness harness = Harness.start(builder -> builder.seed(seed));
        harness.sim.addAccount("alice", ALICE_KEY);
        harness.sim.addLock("alice", "111111-11111", "Front door");
        harness.sim.addLock("alice", "222222-22222", "Back door");
        harness.sim.addLock("alice", "333333-33333", "Garage");
        harness.sim.setDoorState("111111-11111", 3);
        harness.sim.randomActivity(MEAN_GAP);
        return harness;
    }
}
