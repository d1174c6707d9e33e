package io.tedeesync.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link LockPages} on a clock the test moves: same list same snapshot, idle expiry, and the bounds. */
class LockPagesTest {
    /** A clock that stands still until told. */
    static final class FakeClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final FakeClock clock = new FakeClock();

    private static List<LockRow.Key> keys(String... serials) {
        return java.util.Arrays.stream(serials).map(serial -> new LockRow.Key("home", serial)).toList();
    }

    /** The selection of a query string's parameters: {@code "state", "LOCKED"}. */
    private static LockQuery.Selection selection(String... pairs) {
        java.util.Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            params.computeIfAbsent(pairs[i], name -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return LockQuery.parse(params).selection();
    }

    private static List<LockRow.Key> keysOf(LockPages.Snapshot snapshot) {
        return IntStream.range(0, snapshot.size()).mapToObj(snapshot::key).toList();
    }

    @Test
    void theSameListForTheSameSelectionIsTheSameSnapshot() {
        LockPages pages = new LockPages(clock);

        LockPages.Snapshot first = pages.keep(selection("state", "LOCKED"), keys("A", "B", "C"));
        LockPages.Snapshot again = pages.keep(selection("state", "locked"), keys("A", "B", "C"));
        LockPages.Snapshot reordered = pages.keep(selection("state", "LOCKED"), keys("B", "A", "C"));
        LockPages.Snapshot otherSelection = pages.keep(selection("state", "UNLOCKED"), keys("A", "B", "C"));
        LockPages.Snapshot noState = pages.keep(selection("state", "NONE"), keys("A", "B", "C"));
        LockPages.Snapshot otherAccount = pages.keep(selection("state", "LOCKED"), List.of(new LockRow.Key("office", "A"),
                new LockRow.Key("home", "B"), new LockRow.Key("home", "C")));

        assertThat(again).as("the same values, however written: the same snapshot").isSameAs(first);
        assertThat(List.of(reordered.id(), otherSelection.id(), noState.id(), otherAccount.id())).doesNotContain(first.id())
                .doesNotHaveDuplicates();
        assertThat(first.id()).matches("[A-Za-z0-9_-]{16}");
        for (LockPages.Snapshot kept : List.of(first, reordered, otherSelection, noState, otherAccount)) {
            assertThat(pages.find(kept.id())).as("each is kept").containsSame(kept);
        }
        assertThat(keysOf(pages.find(first.id()).orElseThrow())).isEqualTo(keys("A", "B", "C"));
        assertThat(keysOf(otherAccount)).containsExactly(new LockRow.Key("office", "A"), new LockRow.Key("home", "B"),
                new LockRow.Key("home", "C"));
        assertThat(pages.find(first.id()).orElseThrow().selection()).isEqualTo(selection("state", "LOCKED"));
    }

    @Test
    void aSnapshotIsKeptTenMinutesAfterItsLastUse() {
        LockPages pages = new LockPages(clock);
        String id = pages.keep(selection(), keys("A", "B")).id();

        clock.advance(Duration.ofMinutes(9));
        assertThat(pages.find(id)).as("used again at 9 min").isPresent();
        clock.advance(Duration.ofMinutes(10));
        assertThat(pages.find(id)).as("10 min after that use").isPresent();
        clock.advance(Duration.ofMinutes(10).plusMillis(1));

        assertThat(pages.find(id)).isEmpty();
    }

    @Test
    void keepingTheSameListAgainCountsAsAUse() {
        LockPages pages = new LockPages(clock);
        String id = pages.keep(selection(), keys("A", "B")).id();
        clock.advance(Duration.ofMinutes(8));
        pages.keep(selection(), keys("A", "B"));
        clock.advance(Duration.ofMinutes(8));

        assertThat(pages.find(id)).isPresent();
    }

    @Test
    void beyond256SnapshotsTheLeastRecentlyUsedGoes() {
        LockPages pages = new LockPages(clock);
        List<String> ids = IntStream.range(0, LockPages.MAX_SNAPSHOTS).mapToObj(i -> pages.keep(selection("q", "lock " + i), keys("A")).id())
                .toList();
        assertThat(pages.find(ids.get(0))).as("used: now the most recent").isPresent();

        String oneMore = pages.keep(selection("q", "one more"), keys("A")).id();

        assertThat(pages.find(oneMore)).isPresent();
        assertThat(pages.find(ids.get(1))).as("the least recently used").isEmpty();
        assertThat(ids.stream().filter(id -> !id.equals(ids.get(1)))).as("the other 255").allMatch(id -> pages.find(id).isPresent());
    }

    @Test
    void aSnapshotsSizeIsItsSerialNumbersBytesNotItsNumberOfLocks() {
        LockPages pages = new LockPages(clock);
        LockPages.Snapshot shortSerials = pages.keep(selection(), keys("A1", "A2", "A3", "A4"));
        LockPages.Snapshot longSerials = pages.keep(selection("q", "x"), keys("A1" + "x".repeat(200), "A2" + "x".repeat(200),
                "A3" + "x".repeat(200), "A4" + "x".repeat(200)));

        assertThat(longSerials.bytes() - shortSerials.bytes()).as("four serials of 200 more bytes each").isBetween(4L * 200, 4L * 200 + 64);
        assertThat(shortSerials.bytes()).as("a few dozen bytes a lock, beyond a fixed part").isBetween(4L * 40, 4L * 100 + 400);
    }

    @Test
    void beyondTheByteBoundTheOldestGoButTheNewestStays() {
        LockPages.Snapshot measure = new LockPages(clock).keep(selection(), keys("A", "B", "C"));
        LockPages pages = new LockPages(clock, 256, measure.bytes() + 10); // room for one three-lock snapshot, not two
        String small = pages.keep(selection("q", "a"), keys("A", "B")).id();
        String other = pages.keep(selection("q", "b"), keys("A", "B", "C")).id();
        assertThat(pages.find(small)).as("the two do not fit together: the older went").isEmpty();
        assertThat(pages.find(other)).isPresent();

        String big = pages.keep(selection("q", "c"), keys("A", "B", "C", "D", "E", "F")).id();

        assertThat(pages.find(big)).as("bigger than the bound alone, yet the newest").isPresent();
        assertThat(pages.find(other)).isEmpty();
    }

    @Test
    void anUnknownIdIsNoSnapshot() {
        assertThat(new LockPages(clock).find("nothing-like-it")).isEmpty();
    }
}
