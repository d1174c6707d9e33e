package io.tedeesync.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP receiver of outbound webhooks on a free loopback port (the JDK's own server): records every
 * request it gets, and answers what {@link #answer} says: a status, optionally a {@code Retry-After}, or
 * {@link #HANG} to hold the request unanswered until {@link #release()} or the receiver closes. Thread-safe.
 */
final class WebhookReceiver implements AutoCloseable {
    /** An answer that never comes (until released). */
    static final int HANG = -1;

    /** One request as received, and the status it was answered (0 while unanswered). */
    record Received(int index, String id, String timestamp, String signature, String contentType, String body, Map<String, List<String>> headers,
            int answered) {
    }

    /** What to answer: a status, and optionally a {@code Retry-After} and a {@code Location}. */
    record Answer(int status, String retryAfter, String location) {
        Answer(int status, String retryAfter) {
            this(status, retryAfter, null);
        }

        static Answer status(int status) {
            return new Answer(status, null);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Function<Received, Answer> answer = request -> Answer.status(200);

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** What every request from now on is answered, given the request (its {@code index} counts from 0). */
    WebhookReceiver answering(Function<Received, Answer> how) {
        this.answer = how;
        return this;
    }

    WebhookReceiver answering(int status) {
        return answering(request -> Answer.status(status));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every request so far, in arrival order; {@code answered} as of when each was answered. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests answered 2xx. */
    List<Received> delivered() {
        return received.stream().filter(request -> request.answered() >= 200 && request.answered() < 300).toList();
    }

    /** Lets the hanging requests go (answered 200). */
    void release() {
        released.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int index;
            Received request;
            synchronized (received) {
                index = received.size();
                request = new Received(index, exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"), exchange.getRequestHeaders().getFirst("webhook-signature"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body, Map.copyOf(exchange.getRequestHeaders()), 0);
                received.add(request);
            }
            Answer reply = answer.apply(request);
            int status = reply.status();
            if (status == HANG) {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                status = 200;
            }
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
            }
            if (reply.location() != null) {
                exchange.getResponseHeaders().add("Location", reply.location());
            }
            synchronized (received) {
                received.set(index, new Received(index, request.id(), request.timestamp(), request.signature(), request.contentType(),
                        request.body(), request.headers(), status));
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
