package io.tedeesync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event stream's fan-out: one tail of the log for every subscriber, a bounded queue each, written
 * without blocking, so that a subscriber that stops reading is dropped and never holds up the others,
 * and the number of threads does not follow the number of subscribers.
 */
class EventFanOutTest {
    private static final Duration GENEROUS = Duration.ofSeconds(60);
    private static final int BATCH = 500;

    @TempDir
    Path data;

    private StreamBed bed;
    private final List<RawEventStream> streams = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws IOException {
        for (RawEventStream stream : streams) {
            stream.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    /** A reading subscriber through the JDK's client: every id it gets, in order of arrival. */
    private List<Long> listen(String query) {
        List<Long> ids = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bed.port() + "/api/events/stream" + query))
                .header("Accept", "text/event-stream").build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAcceptAsync(response -> response.body().filter(line -> line.startsWith("id: "))
                        .forEach(line -> ids.add(Long.parseLong(line.substring(4)))));
        return ids;
    }

    private RawEventStream raw(String lastEventId, int receiveBuffer) throws IOException {
        RawEventStream stream = RawEventStream.open(bed.port(), "/api/events/stream", lastEventId, receiveBuffer);
        streams.add(stream);
        return stream;
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private static long last(List<Long> ids) {
        return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
    }

    @Test
    void aSubscriberThatStopsReadingIsDroppedWhileAnotherGetsEveryEventInOrderThenResumesWithoutGapsOrDuplicates() throws IOException {
        bed = new StreamBed(data);
        List<Long> reader = listen("");
        RawEventStream stalled = raw(null, 1024); // a tiny window, and it never reads until it is dropped
        await().atMost(GENEROUS).until(() -> bed.broadcaster().liveSubscribers() == 2);

        long published = 0;
        // Batches until the stalled one's queue overflows (the kernel's buffers take some MB first); after
        // each, the reader has had everything: a stalled subscriber does not hold it up.
        for (int round = 0; round < 200 && bed.broadcaster().dropped() == 0; round++) {
            long expected = bed.publish(BATCH);
            published = expected;
            await().atMost(GENEROUS).until(() -> last(reader) == expected);
        }
        assertThat(bed.broadcaster().dropped()).as("the stalled subscriber was dropped").isEqualTo(1);
        assertThat(bed.broadcaster().subscribers()).isEqualTo(1);
        long missed = bed.publish(BATCH);
        await().atMost(GENEROUS).until(() -> last(reader) == missed);
        assertThat(reader).as("the reading subscriber got every event once, in order").isEqualTo(range(1, missed));

        stalled.widen();
        List<Long> beforeTheCut = stalled.readUntilClosed();
        assertThat(stalled.ended()).as("the dropped stream was closed").isTrue();
        assertThat(beforeTheCut).isNotEmpty().isEqualTo(range(1, last(beforeTheCut)));
        assertThat(last(beforeTheCut)).isLessThan(published);

        RawEventStream resumed = raw(Long.toString(last(beforeTheCut)), 0);
        List<Long> afterTheCut = resumed.readUntil(id -> id == missed);
        assertThat(afterTheCut).as("the resumed stream catches up from the store, then goes on live")
                .isEqualTo(range(last(beforeTheCut) + 1, missed));
        long live = bed.publish(3);
        assertThat(resumed.readUntil(id -> id == live)).isEqualTo(range(last(beforeTheCut) + 1, live));
    }

    @Test
    void aCatchUpLongerThanTheQueueIsPacedByWhatTheClientReadsNotDropped() throws IOException {
        bed = new StreamBed(data);
        long written = 0;
        for (int i = 0; i < 30; i++) {
            written = bed.publish(BATCH); // 15,000 events: more than the kernel's buffers and a queue hold together
        }
        long all = written;
        RawEventStream resuming = raw("0", 1024);
        // It reads nothing until its catch-up stalls with a queue it does not empty.
        await().atMost(GENEROUS).until(() -> bed.broadcaster().mostQueued() > EventBroadcaster.DEFAULT_QUEUE_BOUND / 2);
        assertThat(bed.broadcaster().liveSubscribers()).isZero();
        resuming.widen();

        List<Long> ids = resuming.readUntil(id -> id == all);

        assertThat(ids).isEqualTo(range(1, all));
        assertThat(bed.broadcaster().dropped()).isZero();
        long live = bed.publish(1);
        assertThat(resuming.readUntil(id -> id == live)).endsWith(all, live);
    }

    @Test
    void aNegativeLastEventIdIsAsIfNoneWasGivenAndStopsNobodyElse() throws IOException {
        bed = new StreamBed(data);
        raw("-1", 0); // once, this broke the fan-out for every subscriber after it
        List<Long> after = listen("?after=0");
        long last = bed.publish(10);

        await().atMost(GENEROUS).until(() -> last(after) == last);
        assertThat(after).isEqualTo(range(1, last));
    }

    @Test
    void aSubscriberOfOneLockGetsOnlyItsEventsAndTheTailAfterCatchingUp() {
        bed = new StreamBed(data);
        bed.publish(10);
        List<Long> front = listen("?serialNumber=" + StreamBed.FRONT + "&after=0");
        await().atMost(GENEROUS).until(() -> front.size() == 5);
        long last = bed.publish(10);
        await().atMost(GENEROUS).until(() -> last(front) == last - 1);
        // FRONT's bell presses are the odd ids
        assertThat(front).isEqualTo(Stream.iterate(1L, id -> id <= last, id -> id + 2).toList());
    }

    @Test
    void twoHundredSubscribersDoNotAddTwoHundredThreads() throws IOException {
        bed = new StreamBed(data);
        RawEventStream first = raw(null, 0);
        first.readHeaders();
        await().atMost(GENEROUS).until(() -> bed.broadcaster().liveSubscribers() == 1);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        for (int i = 1; i < 200; i++) {
            assertThat(raw(null, 0).readHeaders()).startsWith("HTTP/1.1 200");
        }
        await().atMost(GENEROUS).until(() -> bed.broadcaster().liveSubscribers() == 200);
        long id = bed.publish(1);
        for (RawEventStream stream : streams) {
            assertThat(stream.readUntil(seen -> seen == id)).containsExactly(id);
        }
        int threadsWith200 = ManagementFactory.getThreadMXBean().getThreadCount();

        assertThat(threadsWith200 - threadsBefore).as("threads added by 199 more subscribers").isLessThan(10);
    }
}
