package io.tedeesync.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void readsTheThreeSpellingsTedeeUses() {
        assertThat(Timestamps.parse("2021-04-26T06:02:04.197Z")).isEqualTo(Instant.parse("2021-04-26T06:02:04.197Z"));
        assertThat(Timestamps.parse("2024-12-13T07:36:36.9049417+00:00")).isEqualTo(Instant.parse("2024-12-13T07:36:36.904941700Z"));
        assertThat(Timestamps.parse("2024-12-13T07:36:36.6926999")).isEqualTo(Instant.parse("2024-12-13T07:36:36.692699900Z"));
        assertThat(Timestamps.parse("2020-01-01T00:00:00")).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(Timestamps.parse("2024-02-29T23:59:59+02:30")).isEqualTo(Instant.parse("2024-02-29T21:29:59Z"));
        assertThat(Timestamps.parse("2024-01-31T10:00:00-05:00")).isEqualTo(Instant.parse("2024-01-31T15:00:00Z"));
        assertThat(Timestamps.parse(" ")).isNull();
    }

    @Test
    void theFastPathAgreesWithJavaTimeOnRandomInstants() {
        Random random = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(29) - 14) * 1800);
            String withOffset = OffsetDateTime.ofInstant(instant, offset).toString();
            String withoutZone = LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
            assertThat(Timestamps.parse(withOffset)).as(withOffset).isEqualTo(instant);
            assertThat(Timestamps.parse(withoutZone)).as(withoutZone).isEqualTo(instant);
        }
    }

    @Test
    void nonsenseIsRefusedEvenWhenItLooksClose() {
        for (String text : new String[] {"2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z",
                "2024-01-01T00:00:00+5", "yesterday", "2024-01-01 00:00:00Z"}) {
            assertThatThrownBy(() -> Timestamps.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
