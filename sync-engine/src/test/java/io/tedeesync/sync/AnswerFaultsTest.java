package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.LockState;
import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.RecordedRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults confined to one call or one element stay there: the rest of the account carries on, and its health does not flap. */
class AnswerFaultsTest {
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    private List<String> startHome(int locks) {
        List<String> serials = harness.account("home", "key-home", locks);
        harness.start(b -> b.account(harness.config("home", "key-home")));
        harness.advance(Duration.ofSeconds(25));
        return serials;
    }

    @Test
    void aLockWhoseDetailsKeepFailingDoesNotMakeTheAccountFlapBetweenDegradedAndRecovered() {
        List<String> serials = startHome(2);
        harness.simulator.injectFault(Fault.aimedAt("GET", "/my/lock/{id}", Fault.serverError(500)), 4);
        harness.simulator.rename(serials.get(0), "Back door");
        harness.simulator.clearRequests();

        harness.advance(Duration.ofMinutes(10));

        List<RecordedRequest> requests = harness.requests("home");
        assertThat(requests).filteredOn(r -> r.status() == 500).hasSize(4);
        assertThat(requests).filteredOn(EngineHarness::isSyncAll).as("the other locks stayed fresh meanwhile").hasSizeGreaterThan(25);
        assertThat(harness.events(AccountEvent.AccountDegraded.class)).as("one degradation, not one per sync").hasSize(1);
        assertThat(harness.events(AccountEvent.AccountRecovered.class)).as("recovered when the details worked").hasSize(1);
        assertThat(harness.engine.lock(serials.get(0)).orElseThrow().name()).isEqualTo("Back door");
    }

    @Test
    void oneUnreadableLockInASyncKeepsItsLastStateWhileTheOthersAreUpdated() {
        List<String> serials = startHome(3);
        long broken = harness.simulator.lock(serials.get(0)).id();
        harness.simulator.injectFault(Fault.badElement(Fault.Defect.IMPOSSIBLE_DATE, broken), 3);
        harness.simulator.setLockState(serials.get(0), 2);
        harness.simulator.setLockState(serials.get(1), 2);
        harness.simulator.clearRequests();

        harness.advance(Duration.ofSeconds(21));

        assertThat(harness.engine.lock(serials.get(1)).orElseThrow().state().state()).as("read at once").isEqualTo(LockState.UNLOCKED);
        MirroredLock kept = harness.engine.lock(serials.get(0)).orElseThrow();
        assertThat(kept.state().state()).as("its last known state").isEqualTo(LockState.LOCKED);
        assertThat(harness.requests("home")).as("no list refresh for a lock that is there").noneMatch(EngineHarness::isGetAll);
        assertThat(harness.engine.accounts().get(0).health()).isEqualTo(AccountHealth.OK);

        harness.advance(Duration.ofMinutes(1)); // the fault is used up
        assertThat(harness.engine.lock(serials.get(0)).orElseThrow().state().state()).isEqualTo(LockState.UNLOCKED);
    }

    @Test
    void oneUnreadableLockInTheListIsNotRemoved() {
        List<String> serials = startHome(3);
        long broken = harness.simulator.lock(serials.get(0)).id();
        harness.simulator.reAddLock(serials.get(2)); // the next sync sees an unknown id and asks for the list
        harness.simulator.injectFault(Fault.badElement(Fault.Defect.WRONG_TYPE, broken), 1);

        harness.advance(Duration.ofMinutes(2));

        assertThat(harness.requests("home")).filteredOn(EngineHarness::isGetAll).hasSizeGreaterThanOrEqualTo(2);
        assertThat(harness.events(LockEvent.Removed.class)).isEmpty();
        assertThat(harness.events(LockEvent.IdChanged.class)).singleElement()
                .satisfies(changed -> assertThat(changed.serialNumber()).isEqualTo(serials.get(2)));
        assertThat(harness.engine.locks()).hasSize(3);
    }
}
