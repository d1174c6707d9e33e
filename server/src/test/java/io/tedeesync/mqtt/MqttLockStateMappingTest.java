package io.tedeesync.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.DeviceState;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The state mapping where the simulator cannot go: Tedee's {@code stateChangeResult} (0 success, &gt; 0 the last move
 * failed, its event 40 "Jammed"). The states alone are checked end to end on a broker by {@link MqttLockTopicsTest}.
 */
class MqttLockStateMappingTest {
    @ParameterizedTest(name = "Tedee {0} with stateChangeResult {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "6, 0, LOCKED",
            "6, null, LOCKED",
            "6, 1, JAMMED",     // it says locked, but the last move got stuck
            "2, 3, JAMMED",
            "7, 1, JAMMED",
            "9, 1, JAMMED",
            "3, 0, JAMMED",     // SemiLocked: the bolt stopped between positions
            "5, 1, LOCKING",    // a move under way is itself, whatever the last one did
            "4, 1, UNLOCKING",
            "8, 1, OPENING",
            "0, 0, UNKNOWN",    // Uncalibrated: a setup state
            "18, 0, UNKNOWN",
    })
    void aFailedLastMoveIsJammedExceptWhileANewMoveIsUnderWay(int stateCode, Integer stateChangeResult, String payload) {
        DeviceState state = new DeviceState(stateCode, 0, 80, false, stateChangeResult, Instant.EPOCH);

        assertThat(LockStatePayload.of(state).name()).isEqualTo(payload);
    }

    @Test
    void onlyAnUncalibratedLockIsInoperable() {
        assertThat(LockStatePayload.operable(new DeviceState(0, 0, 80, false, 0, Instant.EPOCH))).isFalse();
        assertThat(LockStatePayload.operable(new DeviceState(3, 0, 80, false, 0, Instant.EPOCH))).isTrue();
        assertThat(LockStatePayload.operable(null)).as("no current state: the connection decides").isTrue();
    }
}
