package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.SimLock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 24 simulated hours, three accounts, default settings: random manual changes, re-adds, renames,
 * disconnects and faults (5xx, timeouts, malformed bodies, 429 bursts). The engine must stay inside
 * every rule, see every state that lasted two intervals, emit no phantom or duplicate event, and end
 * equal to the simulator's truth. Deterministic: seeded simulator, seeded engine, virtual time.
 */
class SimulatedDayTest {
    private static final String[] ACCOUNTS = {"alpha", "beta", "gamma"};
    private static final Duration INTERVAL = SyncSettings.defaults().syncInterval();
    /** Seconds between two looks at truth and mirror: fine enough for states that last 40 s. */
    private static final int OBSERVE_EVERY = 2;

    private final EngineHarness harness = new EngineHarness();
    private final Random script = new Random(2026);

    /** One stretch of time during which a lock's truth did not change. */
    private static final class Segment {
        final String serial;
        final int stateCode;
        final Instant start;
        Instant end;
        boolean seenByMirror;
        long healthySeconds;

        Segment(String serial, int stateCode, Instant start) {
            this.serial = serial;
            this.stateCode = stateCode;
            this.start = start;
        }

        @Override
        public String toString() {
            return serial + " state " + stateCode + " from " + start + " to " + end;
        }
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aDayOfChangesAndFaultsStaysInsideEveryRuleAndEndsEqualToTheTruth() {
        Map<String, List<String>> serialsByAccount = new HashMap<>();
        for (String account : ACCOUNTS) {
            serialsByAccount.put(account, harness.account(account, "key-" + account, 4));
        }
        harness.start(b -> {
            for (String account : ACCOUNTS) {
                b.account(harness.config(account, "key-" + account));
            }
            return b;
        });
        harness.simulator.randomActivity(Duration.ofMinutes(8));

        int injected429 = 0;
        int reAdds = 0;
        Map<String, Segment> open = new HashMap<>();
        List<Segment> segments = new ArrayList<>();
        Instant end = EngineHarness.START.plus(Duration.ofHours(24));
        long second = 0;
        while (harness.time.instant().isBefore(end)) {
            if (second > 60 && second % 900 == 0) { // every 15 minutes, something out of the ordinary
                String account = ACCOUNTS[script.nextInt(ACCOUNTS.length)];
                List<String> serials = serialsByAccount.get(account);
                String serial = serials.get(script.nextInt(serials.size()));
                switch (script.nextInt(6)) {
                    case 0 -> {
                        harness.simulator.reAddLock(serial);
                        reAdds++;
                    }
                    case 1 -> harness.simulator.rename(serial, "Renamed " + second);
                    case 2 -> harness.simulator.injectFault(Fault.serverError(503), 1 + script.nextInt(4), account);
                    case 3 -> harness.simulator.injectFault(Fault.malformedBody(), 1, account);
                    case 4 -> {
                        int burst = 1 + script.nextInt(2);
                        harness.simulator.injectFault(Fault.rateLimited(Duration.ofSeconds(30 + script.nextInt(300))), burst, account);
                        injected429 += burst;
                    }
                    default -> harness.simulator.injectFault(Fault.dropConnection(), 1, account);
                }
            }
            harness.time.advance(Duration.ofSeconds(1));
            second++;
            if (second % OBSERVE_EVERY == 0) {
                observe(open, segments);
            }
        }
        harness.simulator.stopRandomActivity();
        harness.advance(Duration.ofMinutes(6));
        observe(open, segments);

        // Rule: never a sync under the 10 s floors.
        assertThat(harness.simulator.syncCallsTooSoon()).isZero();
        // Rule: never over 700 requests in any hour, and no 429 but the injected ones.
        for (String account : ACCOUNTS) {
            harness.assertBudgetKept(account, 700);
        }
        assertThat(harness.simulator.requests().stream().filter(r -> r.status() == 429).count()).isEqualTo(injected429);
        // Rule: every state that lasted two intervals while its account could be reached was seen.
        // (Inside a Retry-After or a backoff after injected faults, nobody can see anything.)
        List<Segment> missed = segments.stream()
                .filter(s -> s.end != null && s.healthySeconds >= INTERVAL.multipliedBy(2).toSeconds())
                .filter(s -> !s.seenByMirror).toList();
        assertThat(missed).as("long states the mirror never showed").isEmpty();
        assertThat(segments.size()).as("the day had plenty of changes").isGreaterThan(300);
        // Rule: no phantom or duplicate events.
        assertNoPhantomOrDuplicateEvents(reAdds);
        // The end: mirror equals truth.
        harness.assertMirrorEqualsTruth();
    }

    private void observe(Map<String, Segment> open, List<Segment> segments) {
        Instant now = harness.time.instant();
        Set<String> healthy = new HashSet<>();
        for (AccountStatus status : harness.engine.accounts()) {
            if (status.health() == AccountHealth.OK && status.blockedUntil() == null) {
                healthy.add(status.name());
            }
        }
        for (SimLock truth : harness.simulator.locks()) {
            int code = truth.connected() ? truth.stateCode() : -100;
            Segment current = open.get(truth.serialNumber());
            if (current == null || current.stateCode != code) {
                if (current != null) {
                    current.end = now;
                }
                current = new Segment(truth.serialNumber(), code, now);
                open.put(truth.serialNumber(), current);
                segments.add(current);
            }
            if (healthy.contains(truth.serialNumber().substring(0, truth.serialNumber().indexOf('-')).toLowerCase())) {
                current.healthySeconds += OBSERVE_EVERY;
            }
            if (!current.seenByMirror) {
                MirroredLock copy = harness.engine.lock(truth.serialNumber()).orElse(null);
                int mirrored = copy == null ? -200 : copy.state() == null ? (copy.connected() ? -300 : -100) : copy.state().stateCode();
                current.seenByMirror = mirrored == code;
            }
        }
    }

    private void assertNoPhantomOrDuplicateEvents(int reAdds) {
        Set<String> present = new HashSet<>();
        Map<String, Long> ids = new HashMap<>();
        int idChanges = 0;
        for (SyncEvent event : List.copyOf(harness.events)) {
            if (event instanceof LockEvent.Added added) {
                assertThat(present.add(added.serialNumber())).as("Added twice: %s", added.serialNumber()).isTrue();
                ids.put(added.serialNumber(), added.lockId());
            } else if (event instanceof LockEvent.Removed removed) {
                assertThat(present.remove(removed.serialNumber())).as("Removed unknown: %s", removed.serialNumber()).isTrue();
            } else if (event instanceof LockEvent.IdChanged changed) {
                assertThat(ids.get(changed.serialNumber())).isEqualTo(changed.previousId());
                ids.put(changed.serialNumber(), changed.lockId());
                idChanges++;
            } else if (event instanceof LockEvent.StateChanged state) {
                assertThat(present).contains(state.serialNumber());
                assertThat(state.fromCode()).as("a change is a change").isNotEqualTo(state.toCode());
            } else if (event instanceof LockEvent lockEvent) {
                assertThat(present).contains(lockEvent.serialNumber());
            }
        }
        assertThat(present).hasSize(ACCOUNTS.length * 4);
        assertThat(harness.events(LockEvent.Removed.class)).isEmpty();
        assertThat(idChanges).isEqualTo(reAdds);
        assertThat(harness.events(LockEvent.Added.class)).hasSize(ACCOUNTS.length * 4);
        assertThat(ids.values()).doesNotContainNull().allMatch(Objects::nonNull);
    }
}
