package io.tedeesync.benchmarks.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One outbound webhook endpoint's receiver: a JDK {@link HttpServer} on 127.0.0.1, port 0. It notes the arrival
 * time first, answers 204 at once, then reads {@code type}, {@code data.serialNumber} and {@code data.occurredAt}
 * and hands the delivery to the {@link ChangeLedger}. It verifies the Standard Webhooks signature of the first 100
 * deliveries and then of every n-th, and checks on each that {@code webhook-id} is the event's {@code data.id}.
 * Thread-safe.
 */
final class Receiver implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int ALWAYS_VERIFIED = 100;

    private final int sink;
    private final ChangeLedger ledger;
    private final int signatureSample;
    private final HttpServer server;
    private final AtomicLong received = new AtomicLong();
    private final LongAdder verified = new LongAdder();
    private final LongAdder badSignatures = new LongAdder();
    private final LongAdder badIds = new LongAdder();
    private final Map<String, LongAdder> byType = new ConcurrentHashMap<>();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    private volatile WebhookSignature signature;
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private final LongAdder inWindow = new LongAdder();

    private Receiver(int sink, ChangeLedger ledger, int signatureSample, HttpServer server) {
        this.sink = sink;
        this.ledger = ledger;
        this.signatureSample = signatureSample;
        this.server = server;
    }

    static Receiver start(int sink, ChangeLedger ledger, int signatureSample, Executor executor) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        Receiver receiver = new Receiver(sink, ledger, signatureSample, server);
        server.createContext("/hook", receiver::handle);
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** The endpoint's secret, as {@code POST /api/webhook-endpoints} answered it. */
    void secret(String secret) {
        this.signature = new WebhookSignature(secret);
    }

    /** Deliveries arriving between these two {@link System#nanoTime()} marks count as the window's. */
    void window(long start, long end) {
        this.windowStart = start;
        this.windowEnd = end;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        long number = received.incrementAndGet();
        if (arrived - windowStart >= 0 && arrived - windowEnd < 0) {
            inWindow.increment();
        }
        try {
            Delivery delivery = Delivery.parse(body);
            byType.computeIfAbsent(String.valueOf(delivery.type()), key -> new LongAdder()).increment();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (delivery.eventId() == null || !delivery.eventId().equals(id)) {
                badIds.increment();
                firstProblem.compareAndSet(null, "webhook-id " + id + " but data.id " + delivery.eventId());
            }
            WebhookSignature key = signature;
            if (key != null && (number <= ALWAYS_VERIFIED || number % signatureSample == 0)) {
                verified.increment();
                if (!key.verify(id, exchange.getRequestHeaders().getFirst("webhook-timestamp"), body,
                        exchange.getRequestHeaders().getFirst("webhook-signature"))) {
                    badSignatures.increment();
                    firstProblem.compareAndSet(null, "signature does not verify: " + exchange.getRequestHeaders().getFirst("webhook-signature"));
                }
            }
            if ("StateChanged".equals(delivery.type())) {
                ledger.delivered(sink, delivery.serialNumber(), delivery.occurredAtMillis(), arrived);
            }
        } catch (IOException | RuntimeException e) {
            firstProblem.compareAndSet(null, "unreadable body: " + e);
        }
    }

    long received() {
        return received.get();
    }

    long inWindow() {
        return inWindow.sum();
    }

    long verified() {
        return verified.sum();
    }

    long badSignatures() {
        return badSignatures.sum();
    }

    long badIds() {
        return badIds.sum();
    }

    Map<String, Long> byType() {
        Map<String, Long> counts = new TreeMap<>();
        byType.forEach((type, count) -> counts.put(type, count.sum()));
        return counts;
    }

    String firstProblem() {
        return firstProblem.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** What the rig reads of a body {@code {"type","timestamp","data":{"id","serialNumber","occurredAt",...}}}. */
    private record Delivery(String type, String eventId, String serialNumber, long occurredAtMillis) {
        static Delivery parse(byte[] body) throws IOException {
            String type = null;
            String id = null;
            String serial = null;
            long occurredAt = -1;
            try (JsonParser parser = JSON.createParser(body)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("not an object");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.getCurrentName();
                    JsonToken value = parser.nextToken();
                    if (field.equals("type")) {
                        type = parser.getText();
                    } else if (field.equals("data") && value == JsonToken.START_OBJECT) {
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.getCurrentName();
                            parser.nextToken();
                            switch (name) {
                                case "id" -> id = parser.getText();
                                case "serialNumber" -> serial = parser.getText();
                                case "occurredAt" -> occurredAt = Instant.parse(parser.getText()).toEpochMilli();
                                default -> parser.skipChildren();
                            }
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
            }
            return new Delivery(type, id, serial, occurredAt);
        }
    }
}
