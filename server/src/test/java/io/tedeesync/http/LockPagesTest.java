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

    @Test
    void theSameListForTheSameSelectionIsTheSameSnapshot() {
        LockPages pages = new LockPages(clock);

        LockPages.Snapshot first = pages.keep("state=LOCKED", keys("A", "B", "C"));
        LockPages.Snapshot again = pages.keep("state=LOCKED", keys("A", "B", "C"));
        LockPages.Snapshot reordered = pages.keep("state=LOCKED", keys("B", "A", "C"));
        LockPages.Snapshot otherSelection = pages.keep("state=UNLOCKED", keys("A", "B", "C"));
        LockPages.Snapshot otherAccount = pages.keep("state=LOCKED", List.of(new LockRow.Key("office", "A"), new LockRow.Key("home", "B"),
                new LockRow.Key("home", "C")));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(pages.size()).isEqualTo(4);
        assertThat(List.of(reordered.id(), otherSelection.id(), otherAccount.id())).doesNotContain(first.id()).doesNotHaveDuplicates();
        assertThat(first.id()).matches("[A-Za-z0-9_-]{16}");
        assertThat(pages.find(first.id()).orElseThrow().keys()).isEqualTo(keys("A", "B", "C"));
        assertThat(pages.find(first.id()).orElseThrow().selection()).isEqualTo("state=LOCKED");
    }

    @Test
    void aSnapshotIsKeptTenMinutesAfterItsLastUse() {
        LockPages pages = new LockPages(clock);
        String id = pages.keep("", keys("A", "B")).id();

        clock.advance(Duration.ofMinutes(9));
        assertThat(pages.find(id)).as("used again at 9 min").isPresent();
        clock.advance(Duration.ofMinutes(10));
        assertThat(pages.find(id)).as("10 min after that use").isPresent();
        clock.advance(Duration.ofMinutes(10).plusMillis(1));

        assertThat(pages.find(id)).isEmpty();
        assertThat(pages.size()).isZero();
    }

    @Test
    void keepingTheSameListAgainCountsAsAUse() {
        LockPages pages = new LockPages(clock);
        String id = pages.keep("", keys("A", "B")).id();
        clock.advance(Duration.ofMinutes(8));
        pages.keep("", keys("A", "B"));
        clock.advance(Duration.ofMinutes(8));

        assertThat(pages.find(id)).isPresent();
    }

    @Test
    void beyond256SnapshotsTheLeastRecentlyUsedGoes() {
        LockPages pages = new LockPages(clock);
        List<String> ids = IntStream.range(0, LockPages.MAX_SNAPSHOTS).mapToObj(i -> pages.keep("q=" + i, keys("A")).id()).toList();
        assertThat(pages.find(ids.get(0))).as("used: now the most recent").isPresent();

        pages.keep("one more", keys("A"));

        assertThat(pages.size()).isEqualTo(LockPages.MAX_SNAPSHOTS);
        assertThat(pages.find(ids.get(0))).isPresent();
        assertThat(pages.find(ids.get(1))).as("the least recently used").isEmpty();
        assertThat(pages.find(ids.get(2))).isPresent();
    }

    @Test
    void beyondTheLockBoundTheOldestGoButTheNewestStays() {
        LockPages pages = new LockPages(clock, 256, 5);
        String small = pages.keep("a", keys("A", "B")).id();
        String other = pages.keep("b", keys("A", "B", "C")).id();
        assertThat(pages.find(small)).isPresent();
        assertThat(pages.find(other)).isPresent();

        String big = pages.keep("c", keys("A", "B", "C", "D", "E", "F")).id();

        assertThat(pages.find(big)).as("bigger than the bound alone, yet the newest").isPresent();
        assertThat(pages.find(small)).isEmpty();
        assertThat(pages.find(other)).isEmpty();
    }

    @Test
    void anUnknownIdIsNoSnapshot() {
        assertThat(new LockPages(clock).find("nothing-like-it")).isEmpty();
    }
}
