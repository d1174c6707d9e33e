package io.tedeesync.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** The fast path let day 31 through for every month and February 29 of every year; java.time then threw a DateTimeException. */
    @ParameterizedTest
    @ValueSource(strings = {"2030-04-31T10:00:00Z", "2027-02-29T10:00:00Z", "2100-02-29T00:00:00Z", "2026-06-31T23:59:59.5+02:00",
            "2026-09-31T00:00:00", "2026-11-31T00:00:00.1234567+00:00", "2026-02-30T10:00:00Z"})
    void impossibleDaysAreAnIllegalArgumentNotADateTimeException(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unreadable timestamp");
    }

    @Test
    void theFastPathKnowsEveryDayOfCommonLeapAndCenturyYears() {
        for (int year : new int[] {1900, 2000, 2023, 2024, 2100, 2400}) {
            for (int month = 1; month <= 12; month++) {
                for (int day = 1; day <= 31; day++) {
                    String text = String.format("%04d-%02d-%02dT12:00:00Z", year, month, day);
                    Instant expected = javaTime(year, month, day);
                    assertThat(Timestamps.parseCommon(text)).as(text).isEqualTo(expected);
                }
            }
        }
    }

    /** A non-digit hour read as -1, and non-ASCII digits in the fraction, gave a wrong instant instead of a refusal. */
    @ParameterizedTest
    @ValueSource(strings = {"2024-01-01TAB:00:00Z", "2024-01-01T10:-1:00Z", "2024-01-01T10:00:0xZ", "2024-01-01T10:00:00.\u0661\u0662Z"})
    void nonDigitsInAnyFieldAreRefused(String text) {
        assertThat(Timestamps.parseCommon(text)).isNull();
        assertThatThrownBy(() -> Timestamps.parse(text)).isExactlyInstanceOf(IllegalArgumentException.class);
    }

    private static Instant javaTime(int year, int month, int day) {
        try {
            return LocalDate.of(year, month, day).atTime(12, 0).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException impossible) {
            return null;
        }
    }
}
