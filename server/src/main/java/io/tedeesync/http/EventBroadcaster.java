package io.tedeesync.http;

import io.tedeesync.store.EventQuery;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.SyncListener;
import jakarta.servlet.ServletOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events from the event log: every subscriber gets every event once, in order, with the
 * log's id as the SSE id, so a client that reconnects with {@code Last-Event-ID} resumes exactly. Reads
 * the store (not the engine) so that what is streamed is what was durably written.
 *
 * <p>One tail for everyone: one fan-out thread wakes after each committed batch, reads the events after
 * the highest id it already fanned out (one store read per wake, whatever the number of subscribers),
 * formats each event once and puts it into every live subscriber's bounded queue. Each subscriber's
 * queue is written by {@link SseStream} with the servlet's non-blocking output, on the fan-out thread
 * or on one of Jetty's pool threads when the connection takes data again; nothing ever waits for a
 * client, and there is no thread per subscriber.
 *
 * <p>A subscriber that stops reading fills its queue ({@value #DEFAULT_QUEUE_BOUND} events) and is
 * dropped: its connection is cut and one INFO line says so; it resumes with {@code Last-Event-ID}. A
 * subscriber that resumes (or asks for {@code ?after=}) first catches up from the store with queries of
 * its own, paced by the room in its queue (so a long catch-up is never a reason to drop it), then joins
 * the tail. Every 15 s each subscriber gets a {@code : keep-alive} comment. Thread-safe.
 */
final class EventBroadcaster implements SyncListener, AutoCloseable {
    /** Events a subscriber may have waiting before it counts as not reading and is dropped. */
    static final int DEFAULT_QUEUE_BOUND = 1024;
    /** Streams open at once; more are answered 503, so that streams cannot take every connection. */
    static final int DEFAULT_MAX_SUBSCRIBERS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(EventBroadcaster.class);
    private static final int PAGE = 500;
    private static final long HEARTBEAT_SECONDS = 15;
    private static final byte[] HEARTBEAT = ": keep-alive\n".getBytes(StandardCharsets.UTF_8);

    private final LockStore store;
    private final int queueBound;
    private final int maxSubscribers;
    private final int catchUpRoom;
    /** Places for streams taken (reserved or streaming); at most maxSubscribers. */
    private final java.util.concurrent.atomic.AtomicInteger places = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService fanOut;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    // Fan-out thread only: the highest id put into the live subscribers' queues (or known to be behind them).
    private long tailId;
    private boolean storeFailing;

    private final class Subscriber {
        final SseStream stream;
        final String serialNumber;
        final String peer;
        // Fan-out thread only (set before the subscriber is published to it): the last id queued or skipped.
        long cursor;
        // True once caught up: from then on the tail feeds it. Read by the threads that drain it.
        volatile boolean live;

        Subscriber(ServletOutputStream out, Consumer<String> cut, Runnable end, long cursor, String serialNumber, String peer) {
            this.stream = new SseStream(out, queueBound, cut, end, this::drained);
            this.cursor = cursor;
            this.serialNumber = serialNumber;
            this.peer = peer;
        }

        /** After a drain on any thread: a subscriber still catching up asks for its next page once there is room. */
        private void drained() {
            if (!live && !stream.isClosed() && stream.room() >= catchUpRoom) {
                wake();
            }
        }
    }

    EventBroadcaster(LockStore store) {
        this(store, DEFAULT_QUEUE_BOUND, DEFAULT_MAX_SUBSCRIBERS);
    }

    EventBroadcaster(LockStore store, int queueBound, int maxSubscribers) {
        if (queueBound < 2 || maxSubscribers < 1) {
            throw new IllegalArgumentException("queueBound must be at least 2 and maxSubscribers at least 1");
        }
        this.store = store;
        this.queueBound = queueBound;
        this.maxSubscribers = maxSubscribers;
        this.catchUpRoom = Math.min(PAGE, queueBound / 2);
        this.tailId = store.lastEventId();
        this.fanOut = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tedee-sync-sse");
            thread.setDaemon(true);
            return thread;
        });
        fanOut.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Takes one of the places for streams; false when as many are taken as allowed. A place taken is given
     * back when its stream ends ({@link #subscribe}), or with {@link #releasePlace} if it never starts.
     */
    boolean reservePlace() {
        while (true) {
            int taken = places.get();
            if (taken >= maxSubscribers) {
                return false;
            }
            if (places.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place whose stream never started. */
    void releasePlace() {
        places.decrementAndGet();
    }

    /**
     * Streams events after {@code afterId} (null: only new ones) of one lock or all ({@code serialNumber}
     * null) to {@code out}, which belongs to a started async request whose headers are sent, in a place
     * taken with {@link #reservePlace}.
     *
     * @param cut  cuts the connection, given why (for a subscriber that is dropped)
     * @param end  ends the response normally, when the service stops (on the thread that closes this)
     * @param peer who it is, for the log line when it is dropped (an address, never a token)
     * @return completes when the stream is over
     */
    CompletableFuture<Void> subscribe(ServletOutputStream out, Consumer<String> cut, Runnable end, Long afterId, String serialNumber,
            String peer) {
        Subscriber subscriber = new Subscriber(out, cut, end, afterId != null ? afterId : store.lastEventId(), serialNumber, peer);
        subscribers.add(subscriber);
        subscriber.stream.finished().whenComplete((ignored, failure) -> {
            subscribers.remove(subscriber);
            places.decrementAndGet();
        });
        subscriber.stream.start();
        wake();
        return subscriber.stream.finished();
    }

    int subscribers() {
        return subscribers.size();
    }

    /** Subscribers that caught up and are fed by the tail. */
    int liveSubscribers() {
        return (int) subscribers.stream().filter(subscriber -> subscriber.live).count();
    }

    /** The longest queue of any subscriber, in frames. */
    int mostQueued() {
        return subscribers.stream().mapToInt(subscriber -> queueBound - subscriber.stream.room()).max().orElse(0);
    }

    /** Subscribers dropped because they did not read. */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void onChanges(ChangeBatch batch) {
        wake();
    }

    /** Events were written by another instance (the database notified it): the tail reads them. */
    void tailMoved() {
        wake();
    }

    private void wake() {
        if (pending.compareAndSet(false, true)) {
            try {
                fanOut.execute(this::fanOut);
            } catch (RejectedExecutionException closed) {
                pending.set(false);
            }
        }
    }

    private void fanOut() {
        pending.set(false);
        try {
            readTail();
            for (Subscriber subscriber : subscribers) {
                if (!subscriber.live) {
                    try {
                        catchUp(subscriber);
                    } catch (IllegalArgumentException bad) { // this stream's own request, not the store: it alone ends
                        subscriber.stream.close("failed: " + bad.getMessage(), SseStream.Ending.CUT);
                    }
                }
            }
            if (storeFailing) {
                storeFailing = false;
                LOG.info("event stream: the event log can be read again");
            }
        } catch (RuntimeException e) {
            // The store's trouble shows in /health; the streams go on from where they were at the next wake.
            if (!storeFailing) {
                storeFailing = true;
                LOG.warn("event stream: could not read the event log, trying again every second: {}", e.getMessage());
            }
            try {
                fanOut.schedule(this::wake, 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException closed) {
                // closing
            }
        }
    }

    /** The one read of the log per wake: the events after the tail, into every live subscriber's queue. */
    private void readTail() {
        List<Subscriber> live = new ArrayList<>();
        for (Subscriber subscriber : subscribers) {
            if (subscriber.live) {
                live.add(subscriber);
            }
        }
        if (live.isEmpty()) {
            // Nobody to feed: skip ahead without a query. Whoever joins catches up from its own cursor,
            // and a catch-up query sees every event up to here, since ids are given in commit order.
            tailId = Math.max(tailId, store.lastEventId());
            return;
        }
        while (true) {
            List<StoredEvent> events = store.events(EventQuery.after(tailId, PAGE));
            if (events.isEmpty()) {
                return;
            }
            List<byte[]> frames = new ArrayList<>(events.size());
            for (StoredEvent event : events) {
                frames.add(frame(event));
            }
            for (Subscriber subscriber : live) {
                if (!subscriber.stream.isClosed()) {
                    try {
                        deliver(subscriber, events, frames);
                    } catch (RuntimeException e) {
                        // One subscriber's failure must not stop the others' events: a bug, so a stack trace.
                        LOG.error("event stream: ending the stream of {} after an unexpected failure", subscriber.peer, e);
                        subscriber.stream.close("failed: " + e, SseStream.Ending.CUT);
                    }
                }
            }
            tailId = events.get(events.size() - 1).id();
            if (events.size() < PAGE) {
                return;
            }
        }
    }

    private void deliver(Subscriber subscriber, List<StoredEvent> events, List<byte[]> frames) {
        for (int i = 0; i < events.size(); i++) {
            StoredEvent event = events.get(i);
            if (event.id() <= subscriber.cursor) {
                continue;
            }
            if (subscriber.serialNumber == null || subscriber.serialNumber.equals(event.serialNumber())) {
                if (!subscriber.stream.offer(frames.get(i))) {
                    drop(subscriber);
                    return;
                }
            }
            subscriber.cursor = event.id();
        }
        subscriber.stream.drain();
    }

    /**
     * A subscriber behind the tail reads its own pages from the store, as many as its queue has room for;
     * the drain that makes room wakes the fan-out for the next. A short page means it has everything up
     * to now, the tail included, and it joins the tail.
     */
    private void catchUp(Subscriber subscriber) {
        while (!subscriber.stream.isClosed()) {
            int room = subscriber.stream.room();
            if (room < catchUpRoom) {
                return;
            }
            int limit = Math.min(PAGE, room);
            List<StoredEvent> events = store.events(new EventQuery(subscriber.cursor, limit, subscriber.serialNumber, null));
            for (StoredEvent event : events) {
                if (!subscriber.stream.offer(frame(event))) {
                    return; // closed meanwhile; there was room
                }
                subscriber.cursor = event.id();
            }
            if (events.size() < limit) {
                subscriber.cursor = Math.max(subscriber.cursor, tailId);
                subscriber.live = true;
            }
            subscriber.stream.drain();
            if (subscriber.live) {
                return;
            }
        }
    }

    private void drop(Subscriber subscriber) {
        dropped.incrementAndGet();
        LOG.info("event stream: dropped the subscriber at {}: {} events waited for it unread (it stopped reading or reads "
                + "too slowly); it can resume with Last-Event-ID", subscriber.peer, queueBound);
        subscriber.stream.close("dropped: its queue of " + queueBound + " events is full", SseStream.Ending.CUT);
        subscribers.remove(subscriber);
    }

    private void heartbeat() {
        try {
            for (Subscriber subscriber : subscribers) {
                // A full queue has something to send already; the comment only keeps an idle stream open.
                if (subscriber.stream.offer(HEARTBEAT)) {
                    subscriber.stream.drain();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("event stream: heartbeat failed: {}", e.toString());
        }
    }

    /** One event as Javalin's SSE emitter writes it: {@code id}, {@code event: message}, one {@code data} line per line. */
    static byte[] frame(StoredEvent event) {
        StringBuilder frame = new StringBuilder(event.json().length() + 40)
                .append("id: ").append(event.id()).append('\n')
                .append("event: message\n");
        event.json().lines().forEach(line -> frame.append("data: ").append(line).append('\n'));
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Ends every stream (the clients may reconnect to another instance or after the restart) and the fan-out. */
    @Override
    public void close() {
        fanOut.shutdownNow();
        for (Subscriber subscriber : subscribers) {
            subscriber.stream.close("the service stops", SseStream.Ending.FINISH);
        }
        subscribers.clear();
    }
}
