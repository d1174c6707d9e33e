package io.tedeesync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** A webhook endpoint on 127.0.0.1 that keeps every JSON body it receives. Thread-safe. */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> received = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private volatile int status = 200;

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
            synchronized (received) {
                received.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/secret-path");
    }

    void answer(int httpStatus) {
        this.status = httpStatus;
    }

    List<JsonNode> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    List<JsonNode> received(String event) {
        return received().stream().filter(body -> body.get("event").asText().equals(event)).toList();
    }

    void clear() {
        synchronized (received) {
            received.clear();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
