package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.Endpoint;
import io.tedeesync.sync.internal.CallGate;
import io.tedeesync.sync.internal.RequestBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up gate and the per-minute budget, on their own, in virtual time. */
class StartupGateTest {
    private final VirtualTime time = new VirtualTime(EngineHarness.START);

    @Test
    void atMostTheLimitGoTogetherAndTheOthersFollowInArrivalOrder() {
        CallGate gate = new CallGate(2, Duration.ofSeconds(2), time);
        List<String> started = new ArrayList<>();
        List<CallGate.Permit> held = new ArrayList<>();
        for (String account : List.of("a", "b", "c", "d")) {
            gate.enter(permit -> {
                started.add(account);
                held.add(permit);
            });
        }
        assertThat(started).containsExactly("a", "b");
        assertThat(gate.waiting()).isEqualTo(2);

        held.get(1).release();
        held.get(1).release(); // a second return changes nothing
        time.runDue();
        assertThat(started).containsExactly("a", "b", "c");
        assertThat(gate.waiting()).isEqualTo(1);
    }

    @Test
    void aCallThatHangsGivesUpItsPlaceAfterTheSlowCallTime() {
        CallGate gate = new CallGate(1, Duration.ofSeconds(2), time);
        List<Instant> started = new ArrayList<>();
        gate.enter(permit -> started.add(time.instant())); // never released: it hangs
        gate.enter(permit -> started.add(time.instant()));

        time.advance(Duration.ofMillis(1_999));
        assertThat(started).hasSize(1);
        time.advance(Duration.ofMillis(1));
        assertThat(started).containsExactly(EngineHarness.START, EngineHarness.START.plusSeconds(2));
    }

    @Test
    void callsInFlightStayBoundedHoweverSlowTheApiIs() {
        CallGate gate = new CallGate(1, Duration.ofSeconds(2), time);
        List<Instant> started = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            gate.enter(permit -> started.add(time.instant())); // none ever answers
        }
        time.advance(Duration.ofMinutes(5));

        // One place, four slow places beside it: five calls in flight at most, each slow one moved aside after 2 s.
        assertThat(started).containsExactly(EngineHarness.START, EngineHarness.START.plusSeconds(2), EngineHarness.START.plusSeconds(4),
                EngineHarness.START.plusSeconds(6), EngineHarness.START.plusSeconds(8));
        assertThat(gate.waiting()).isEqualTo(5);
    }

    @Test
    void theBudgetCountsEveryRequestOfTheHourAndFreesThemAnHourAfterTheirMinute() {
        RequestBudget budget = new RequestBudget(time);
        for (int i = 0; i < 30; i++) {
            budget.onRequest(Endpoint.SYNC_LOCKS, 200, Duration.ZERO);
            time.advance(Duration.ofSeconds(10)); // 30 requests over 5 minutes
        }
        Instant now = time.instant();
        assertThat(budget.used(now)).isEqualTo(30);
        assertThat(budget.availableAt(now, 31)).isEqualTo(now);
        // The first six were made in the first minute: they count until that minute's end plus an hour.
        assertThat(budget.availableAt(now, 30)).isEqualTo(EngineHarness.START.plus(Duration.ofMinutes(61)));
        assertThat(budget.used(EngineHarness.START.plus(Duration.ofMinutes(61)))).isEqualTo(24);
        assertThat(budget.used(EngineHarness.START.plus(Duration.ofMinutes(60)).plusSeconds(59))).isEqualTo(30); // never fewer than the sliding hour holds
        assertThat(budget.used(EngineHarness.START.plus(Duration.ofMinutes(70)))).isZero();
    }
}
