package io.tedeesync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A held lease allows calls until the earlier of its two ends: on the monotonic clock and on the wall clock. */
class HeldLeasesTest {
    private static final long NINE_SECONDS = 9_000_000_000L;
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    private final HeldLeases leases = new HeldLeases(nanos::get, millis::get, NINE_SECONDS);

    private void advance(long nanosLater, long millisLater) {
        nanos.addAndGet(nanosLater);
        millis.addAndGet(millisLater);
    }

    @Test
    void aLeaseAllowsCallsForItsValidityFromWhenItWasSent() {
        leases.put("home", 3, leases.sent());
        advance(8_999_000_000L, 8_999);
        assertThat(leases.mayCall("home")).isTrue();
        advance(1_000_000, 1);
        assertThat(leases.mayCall("home")).isFalse();
        assertThat(leases.mayCall("nobody")).isFalse();
    }

    @Test
    void aWallClockSteppedBackDoesNotStretchALease() {
        leases.put("home", 3, leases.sent());
        advance(NINE_SECONDS, -60_000);
        assertThat(leases.mayCall("home")).isFalse();
    }

    @Test
    void aHostSuspendedPastTheLeaseEndsItAlthoughTheMonotonicClockStoodStill() {
        leases.put("home", 3, leases.sent());
        advance(0, 60_000);
        assertThat(leases.mayCall("home")).isFalse();
    }

    @Test
    void aRenewalExtendsTheLeasesItRenewedAndReportsTheOthersLost() {
        leases.put("home", 3, leases.sent());
        leases.put("cabin", 7, leases.sent());
        advance(5_000_000_000L, 5_000);
        HeldLeases.Sent sent = leases.sent();

        Map<String, HeldLeases.Held> lost = leases.renewed(leases.tokens(), Set.of("home"), sent);

        assertThat(lost).containsOnlyKeys("cabin");
        advance(8_000_000_000L, 8_000);
        assertThat(leases.mayCall("home")).as("renewed 8 s ago").isTrue();
        assertThat(leases.mayCall("cabin")).as("not renewed: 13 s old").isFalse();
    }
}
