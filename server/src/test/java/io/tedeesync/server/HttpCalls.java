package io.tedeesync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The tests' HTTP calls to the service: a request with header pairs and a minute's timeout, and its body as JSON. Every
 * answer to a path {@code /openapi.json} describes is held to it ({@link ApiContract}): an answer that does not match
 * fails the test that got it, whatever that test asserts itself.
 */
final class HttpCalls {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpCalls() {
    }

    /** Sends {@code request} with {@code headers} (name, value, name, value...); failures as unchecked exceptions. */
    static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ApiContract.shared().check(built.method(), built.uri().getRawPath(), response);
        return response;
    }

    static JsonNode read(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
