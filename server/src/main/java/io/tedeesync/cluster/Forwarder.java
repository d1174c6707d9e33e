package io.tedeesync.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Carries a request to the instance that owns its account and brings back the answer, so that any instance
 * takes operations, one-lock syncs, account changes and webhooks for any account. The owner handles it as
 * its own (it checks the same tokens and secrets), and never relays it again: a forwarded request carries
 * {@value #HEADER}. Thread-safe; no thread of its own (the JDK client the service shares).
 */
public final class Forwarder {
    /** Set on a forwarded request, with the forwarding instance's id: the owner answers it itself, whatever it owns. */
    public static final String HEADER = "Tedee-Sync-Forwarded-By";
    /** The request headers carried over; the rest (hop-by-hop, the client's address) stays behind. */
    public static final java.util.List<String> CARRIED = java.util.List.of("Authorization", "Content-Type", "Accept");

    private final HttpClient http;
    private final java.util.function.Supplier<String> instance;

    /** @param instance this instance's id, sent with each forwarded request */
    public Forwarder(HttpClient http, java.util.function.Supplier<String> instance) {
        this.http = Objects.requireNonNull(http, "http");
        this.instance = Objects.requireNonNull(instance, "instance");
    }

    /** The answer headers carried back, as the owner set them. */
    public static final java.util.List<String> ANSWER_HEADERS = java.util.List.of("Content-Type", "Retry-After", "Location",
            "WWW-Authenticate");

    /** The owner's answer: its status, body, and those of {@link #ANSWER_HEADERS} it sent. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    /**
     * Sends the request to {@code owner} and waits for its answer.
     *
     * @param pathAndQuery as the caller asked it, e.g. {@code /api/locks/SN1/operations/unlock?mode=force}
     * @param headers      the caller's headers; only Authorization, Content-Type and Accept are carried
     * @return the owner's answer, or empty when it could not be reached or did not answer within {@code timeout}
     */
    public Optional<Answer> forward(URI owner, String method, String pathAndQuery, Map<String, String> headers, byte[] body,
            Duration timeout) throws InterruptedException {
        String base = owner.toString().endsWith("/") ? owner.toString().substring(0, owner.toString().length() - 1) : owner.toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)) // a path in the owner's URL stays
                .timeout(timeout)
                .method(method, body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header(HEADER, instance.get());
        for (String name : CARRIED) {
            String value = headers.get(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> answered = new java.util.LinkedHashMap<>();
            for (String name : ANSWER_HEADERS) {
                response.headers().firstValue(name).ifPresent(value -> answered.put(name, value));
            }
            return Optional.of(new Answer(response.statusCode(), answered, response.body()));
        } catch (HttpTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
