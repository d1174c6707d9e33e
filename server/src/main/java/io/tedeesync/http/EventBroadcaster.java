package io.tedeesync.http;

import io.javalin.http.sse.SseClient;
import io.tedeesync.store.EventQuery;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.SyncListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events from the event log: every subscriber gets every event once, in order, with the
 * log's id as the SSE id, so a client that reconnects with {@code Last-Event-ID} resumes exactly. Reads
 * the store (not the engine) so that what is streamed is what was durably written. One pump thread
 * sends to all subscribers; it wakes after each committed batch and every 15 s for a heartbeat.
 * Thread-safe.
 */
final class EventBroadcaster implements SyncListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventBroadcaster.class);
    private static final int PAGE = 500;

    private final LockStore store;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pump;
    private final AtomicBoolean pending = new AtomicBoolean();

    private static final class Subscriber {
        final SseClient client;
        final String serialNumber;
        long cursor;

        Subscriber(SseClient client, long cursor, String serialNumber) {
            this.client = client;
            this.cursor = cursor;
            this.serialNumber = serialNumber;
        }
    }

    EventBroadcaster(LockStore store) {
        this.store = store;
        this.pump = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tedee-sync-sse");
            thread.setDaemon(true);
            return thread;
        });
        pump.scheduleWithFixedDelay(this::heartbeat, 15, 15, TimeUnit.SECONDS);
    }

    /** Streams events after {@code afterId} (null: only new ones) to this client until it goes away. */
    void subscribe(SseClient client, Long afterId, String serialNumber) {
        Subscriber subscriber = new Subscriber(client, afterId != null ? afterId : store.lastEventId(), serialNumber);
        subscribers.add(subscriber);
        client.onClose(() -> subscribers.remove(subscriber));
        client.keepAlive();
        wake();
    }

    int subscribers() {
        return subscribers.size();
    }

    @Override
    public void onChanges(ChangeBatch batch) {
        wake();
    }

    private void wake() {
        if (pending.compareAndSet(false, true)) {
            try {
                pump.execute(this::pumpAll);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                pending.set(false);
            }
        }
    }

    private void pumpAll() {
        pending.set(false);
        for (Subscriber subscriber : subscribers) {
            try {
                catchUp(subscriber);
            } catch (RuntimeException e) {
                LOG.warn("dropping an event stream subscriber: {}", e.toString());
                subscribers.remove(subscriber);
                subscriber.client.close();
            }
        }
    }

    private void catchUp(Subscriber subscriber) {
        while (!subscriber.client.terminated()) {
            List<StoredEvent> events = store.events(new EventQuery(subscriber.cursor, PAGE, subscriber.serialNumber, null));
            for (StoredEvent event : events) {
                subscriber.client.sendEvent("message", event.json(), Long.toString(event.id()));
                subscriber.cursor = event.id();
            }
            if (events.size() < PAGE) {
                return;
            }
        }
        subscribers.remove(subscriber);
    }

    private void heartbeat() {
        for (Subscriber subscriber : subscribers) {
            try {
                subscriber.client.sendComment("keep-alive");
            } catch (RuntimeException e) {
                subscribers.remove(subscriber);
            }
        }
    }

    @Override
    public void close() {
        pump.shutdownNow();
        for (Subscriber subscriber : subscribers) {
            subscriber.client.close();
        }
        subscribers.clear();
    }
}
