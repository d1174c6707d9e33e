package io.tedeesync.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the service's {@code GET /api/events/stream} from the first event ({@code ?after=0}) on one
 * thread of its own, and hands each event to the handler with the {@link System#nanoTime()} its
 * {@code data:} line was read. The handler must be quick: it runs on the reading thread, and a reader
 * that falls behind would add its own lag to every freshness figure (the rig reports the lag from the
 * service's {@code observedAt} to the arrival, to show that it kept up). A dropped stream is resumed
 * with {@code Last-Event-ID}, so no event is lost or seen twice. Thread-safe.
 */
final class EventStream implements AutoCloseable {
    /** Called for each event on the reading thread. */
    interface Handler {
        void onEvent(JsonNode event, long arrivalNanos);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Handler handler;
    private final Thread reader;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile long lastId;
    private volatile boolean closed;
    private volatile HttpURLConnection connection;
    /** When the current event's data line was read; the reading thread's alone. */
    private long arrival;

    private EventStream(URI base, Handler handler) {
        this.base = base;
        this.handler = handler;
        this.reader = new Thread(this::follow, "scale-event-stream");
        reader.setDaemon(true);
    }

    static EventStream follow(URI serviceBase, Handler handler) {
        EventStream stream = new EventStream(serviceBase, handler);
        stream.reader.start();
        return stream;
    }

    long events() {
        return events.get();
    }

    long reconnects() {
        return reconnects.get();
    }

    private void follow() {
        while (!closed) {
            try {
                readOnce();
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                reconnects.incrementAndGet();
                System.err.println("scale: the event stream broke (" + e + "); resuming after event " + lastId);
            }
            sleepQuietly(200);
        }
    }

    private void readOnce() throws IOException {
        HttpURLConnection http = (HttpURLConnection) base.resolve("/api/events/stream?after=" + lastId).toURL().openConnection();
        connection = http;
        http.setRequestProperty("Accept", "text/event-stream");
        if (lastId > 0) {
            http.setRequestProperty("Last-Event-ID", Long.toString(lastId));
        }
        http.setConnectTimeout(10_000);
        http.setReadTimeout(0); // the service sends a comment every 15 s; an idle stream is not an error
        if (http.getResponseCode() != 200) {
            throw new IOException("the event stream answered " + http.getResponseCode());
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(http.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            String id = null;
            String data = null;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        deliver(data, id);
                    }
                    data = null;
                    id = null;
                } else if (line.startsWith("data:")) {
                    data = line.substring(line.startsWith("data: ") ? 6 : 5);
                    // Stamped when the data line is read, before the parse.
                    arrival = System.nanoTime();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                }
            }
        }
        if (!closed) {
            throw new IOException("the event stream ended");
        }
    }

    private void deliver(String data, String id) throws IOException {
        JsonNode event = JSON.readTree(data);
        if (id != null && !id.isEmpty()) {
            lastId = Long.parseLong(id);
        } else if (event.hasNonNull("id")) {
            lastId = event.get("id").asLong();
        }
        events.incrementAndGet();
        handler.onEvent(event, arrival);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        HttpURLConnection http = connection;
        if (http != null) {
            http.disconnect();
        }
        reader.interrupt();
    }
}
