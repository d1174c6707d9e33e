package io.tedeesync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Standard Webhooks schedule with its jitter, Retry-After, and the end of the retry period. */
class OutboundRetryScheduleTest {
    private static final Instant QUEUED = Instant.parse("2024-05-01T10:00:00Z");
    private final RetrySchedule schedule = new RetrySchedule(OutboundSettings.STANDARD_SCHEDULE, Duration.ofHours(24), new Random(7));

    @Test
    void eachRetryFollowsTheScheduleWithinTenPercent() {
        Duration[] expected = {Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5)};
        Instant now = QUEUED;
        for (int attempts = 1; attempts <= expected.length; attempts++) {
            Instant next = schedule.next(attempts, QUEUED, now, null).orElseThrow();
            Duration delay = Duration.between(now, next);
            assertThat(delay).as("after attempt %d", attempts)
                    .isBetween(scaled(expected[attempts - 1], 0.9), scaled(expected[attempts - 1], 1.1));
            now = next;
        }
    }

    @Test
    void theJitterSpreadsDeliveriesThatFailedTogether() {
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> schedule.next(2, QUEUED, QUEUED, null).orElseThrow()).distinct().count();

        assertThat(distinct).isGreaterThan(40);
    }

    @Test
    void retryAfterPushesTheNextAttemptBackButNeverForward() {
        assertThat(schedule.next(1, QUEUED, QUEUED, Duration.ofMinutes(10))).hasValue(QUEUED.plus(Duration.ofMinutes(10)));
        assertThat(schedule.next(3, QUEUED, QUEUED, Duration.ofSeconds(1)).orElseThrow()).isAfter(QUEUED.plus(Duration.ofMinutes(25)));
    }

    @Test
    void nothingIsAttemptedPastTheRetryPeriod() {
        Instant late = QUEUED.plus(Duration.ofHours(20));
        Optional<Instant> afterTheFifth = schedule.next(6, QUEUED, late, null); // 10 h more would end past 24 h

        assertThat(afterTheFifth).isEmpty();
    }

    @Test
    void aRetryAfterPastTheRetryPeriodGetsOneLastAttemptAtItsEnd() {
        Instant deadline = QUEUED.plus(Duration.ofHours(24));

        assertThat(schedule.next(1, QUEUED, QUEUED, Duration.ofHours(25))).as("not failed at once").hasValue(deadline);
        assertThat(schedule.next(2, QUEUED, deadline, Duration.ofHours(1))).as("that was the last").isEmpty();
    }

    @Test
    void pastTheLastDelayTheLastOneRepeatsWhileThePeriodLasts() {
        RetrySchedule longer = new RetrySchedule(OutboundSettings.STANDARD_SCHEDULE, Duration.ofDays(3), new Random(7));

        Instant next = longer.next(12, QUEUED, QUEUED.plus(Duration.ofHours(30)), null).orElseThrow();

        assertThat(Duration.between(QUEUED.plus(Duration.ofHours(30)), next)).isBetween(Duration.ofHours(9), Duration.ofHours(11));
    }

    private static Duration scaled(Duration duration, double factor) {
        return Duration.ofMillis(Math.round(duration.toMillis() * factor));
    }
}
