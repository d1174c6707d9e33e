package io.tedeesync.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on an ephemeral loopback port that answers canned responses: for the docs'
 * samples and for error shapes the simulator does not produce (HTML error pages, odd Retry-After).
 * Behaviour tests use the simulator instead.
 */
final class StubServer implements AutoCloseable {

    record Answer(int status, Map<String, String> headers, byte[] body, boolean drop, CountDownLatch hold) {
        Answer(int status, Map<String, String> headers, String body, boolean drop, CountDownLatch hold) {
            this(status, headers, body.getBytes(StandardCharsets.UTF_8), drop, hold);
        }

        static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body, false, null);
        }

        /** Any bytes, e.g. ones that are not UTF-8. */
        static Answer bytes(int status, byte[] body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body.clone(), false, null);
        }

        static Answer dropConnection() {
            return new Answer(0, Map.of(), "", true, null);
        }

        /** Never answers until the latch is released (for timeouts). */
        static Answer hang(CountDownLatch release) {
            return new Answer(200, Map.of(), "{}", false, release);
        }

        /** Answers 200 with {@code body}, but only once the latch is released (to see who completes a call). */
        static Answer held(String body, CountDownLatch release) {
            return new Answer(200, Map.of("Content-Type", "application/json"), body, false, release);
        }

        /** Sends the headers and the first byte of {@code body}, then nothing more until the latch is released. */
        static Answer stallBody(String body, CountDownLatch release) {
            return new Answer(-200, Map.of("Content-Type", "application/json"), body, false, release);
        }

        Answer withHeader(String name, String value) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Answer(status, Map.copyOf(all), body, drop, hold);
        }
    }

    /** A request as it arrived; {@code upgrade} is its {@code Upgrade} header (null when none, as over HTTP/1.1 proper). */
    record Seen(String method, String pathAndQuery, String authorization, String body, String upgrade) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Answer fallback = Answer.json(404, "{\"result\":null,\"success\":false,\"errorMessages\":[\"no stub\"],\"statusCode\":404}");

    StubServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers requests whose path and query start with {@code pathPrefix} (longest prefix wins). */
    StubServer on(String pathPrefix, Answer answer) {
        answers.put(pathPrefix, answer);
        return this;
    }

    StubServer otherwise(Answer answer) {
        fallback = answer;
        return this;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    static String fixture(String name) {
        try (InputStream in = StubServer.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(exchange.getRequestMethod(), target, exchange.getRequestHeaders().getFirst("Authorization"), body,
                exchange.getRequestHeaders().getFirst("Upgrade")));
        Answer answer = answers.entrySet().stream()
                .filter(e -> target.startsWith(e.getKey()))
                .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()))
                .map(Map.Entry::getValue)
                .orElse(fallback);
        if (answer.drop()) {
            exchange.close();
            return;
        }
        if (answer.status() == -200) {
            stallBody(exchange, answer);
            return;
        }
        if (answer.hold() != null) {
            try {
                answer.hold().await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = answer.body();
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static void stallBody(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(200, answer.body().length);
        exchange.getResponseBody().write(answer.body(), 0, 1);
        exchange.getResponseBody().flush();
        try {
            answer.hold().await();
            exchange.getResponseBody().write(answer.body(), 1, answer.body().length - 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the client gave up, as it should
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
