package io.tedeesync.client.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tedeesync.client.Endpoint;
import io.tedeesync.client.Entries;
import io.tedeesync.client.MalformedResponseException;
import io.tedeesync.client.RequestListener;
import io.tedeesync.client.TedeeConnectionException;
import io.tedeesync.client.TedeeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one API call and completes with its {@code result}, or fails with the matching
 * {@link TedeeException}. Owns the envelope (read by {@link EnvelopeReader}), authentication (one retry
 * after a 401 when the credentials can be refreshed), the hard deadline and the request listener.
 *
 * <p>Never blocks: the exchange is {@code sendAsync} under a {@link BoundedExchange deadline}, the header
 * comes from a {@link HeaderSource} that keeps credentials that may block off the caller's and the
 * selector's threads, and each step runs on the thread that completes the one before. Futures returned
 * here may fail with a {@link java.util.concurrent.CompletionException} around the cause; the client
 * unwraps them ({@link Futures#settled}). Thread-safe and immutable.
 */
public final class ApiTransport {
    private static final Logger LOG = LoggerFactory.getLogger(ApiTransport.class);
    /** How much longer than the request timeout the whole exchange may take, slow body included. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final HttpClient http;
    private final URI apiRoot;
    private final boolean plainHttp;
    private final HeaderSource headers;
    private final Duration timeout;
    private final RequestListener listener;
    private final Clock clock;
    private final String userAgent;

    public ApiTransport(HttpClient http, URI baseUrl, String apiVersion, HeaderSource headers,
            Duration timeout, RequestListener listener, Clock clock, String userAgent) {
        this.http = http;
        this.apiRoot = URI.create(stripTrailingSlash(baseUrl.toString()) + "/api/" + apiVersion);
        this.plainHttp = "http".equalsIgnoreCase(baseUrl.getScheme());
        this.headers = headers;
        this.timeout = timeout;
        this.listener = listener;
        this.clock = clock;
        this.userAgent = userAgent;
    }

    /**
     * Calls an endpoint whose result is one object (get single, sync single, operations) and reads it
     * all or nothing: anything unreadable is a {@link MalformedResponseException}.
     */
    <D, R> CompletableFuture<R> callForOne(Endpoint endpoint, String method, String pathAndQuery, Class<D> wireType,
            Function<D, R> mapper) {
        return exchange(endpoint, method, pathAndQuery, false).thenApply(answer -> {
            try {
                return EntryReader.readOne(answer.envelope().result(), wireType, mapper);
            } catch (WireFormatException e) {
                throw new MalformedResponseException(endpoint.template() + " answered an unreadable result: " + e.getMessage(),
                        endpoint, answer.status(), e);
            }
        });
    }

    /**
     * Calls an endpoint whose result is a list (get-all, sync) and reads each element on its own: an
     * element that cannot be read is an unreadable entry, the others are kept. Only an unreadable
     * envelope (not JSON, truncated, a result that is not an array) is a {@link MalformedResponseException}.
     */
    <D, R> CompletableFuture<Entries<R>> callForList(Endpoint endpoint, String method, String pathAndQuery, Class<D> wireType,
            Function<D, R> mapper) {
        return exchange(endpoint, method, pathAndQuery, true).thenApply(answer -> {
            if (answer.envelope().entries() == null) {
                throw new MalformedResponseException(endpoint.template() + " answered a result that is not a list",
                        endpoint, answer.status(), null);
            }
            return EntryReader.readAll(answer.envelope().entries(), wireType, mapper);
        });
    }

    private record Answer(int status, EnvelopeReader.Envelope envelope) {
    }

    private CompletableFuture<Answer> exchange(Endpoint endpoint, String method, String pathAndQuery, boolean listResult) {
        return send(endpoint, method, pathAndQuery, false).thenApply(response -> read(endpoint, response, listResult));
    }

    private Answer read(Endpoint endpoint, HttpResponse<byte[]> response, boolean listResult) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw errorFor(endpoint, response);
        }
        EnvelopeReader.Envelope envelope;
        try {
            envelope = EnvelopeReader.read(response.body(), listResult);
        } catch (WireFormatException e) {
            throw new MalformedResponseException(endpoint.template() + " answered HTTP " + status + " with " + e.getMessage(),
                    endpoint, status, e);
        }
        if (Boolean.FALSE.equals(envelope.success())) {
            int reported = envelope.statusCode() == null || envelope.statusCode() < 400 ? 400 : envelope.statusCode();
            throw ErrorMapping.forStatus(endpoint, reported, envelope.errorMessages(), response.headers().firstValue("Retry-After"), clock);
        }
        if (!envelope.hasResult()) {
            throw new MalformedResponseException(endpoint.template() + " answered without a result", endpoint, status, null);
        }
        return new Answer(status, envelope);
    }

    private CompletableFuture<HttpResponse<byte[]>> send(Endpoint endpoint, String method, String pathAndQuery, boolean retried) {
        return headers.header().thenCompose(authorization -> sendOnce(endpoint, method, pathAndQuery, authorization)
                .thenCompose(response -> {
                    if (response.statusCode() != 401 || retried) {
                        return CompletableFuture.completedFuture(response);
                    }
                    // Only the credentials this request carried are forgotten: another request may have refreshed already.
                    return headers.invalidate(authorization).thenCompose(renewed -> {
                        if (!renewed) {
                            return CompletableFuture.completedFuture(response);
                        }
                        LOG.info("{} was refused with 401; retrying once with refreshed credentials", endpoint.template());
                        return send(endpoint, method, pathAndQuery, true);
                    });
                }));
    }

    /** One HTTP request: told to the listener exactly once, whether it is answered, fails or runs out of time. */
    private CompletableFuture<HttpResponse<byte[]>> sendOnce(Endpoint endpoint, String method, String pathAndQuery, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiRoot + pathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .header("Authorization", authorization)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (plainHttp) {
            request.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade headers on every request
        }
        long started = System.nanoTime();
        return BoundedExchange.send(http, request.build(), timeout.plus(DEADLINE_MARGIN)).handle((response, failure) -> {
            if (failure != null) {
                TedeeConnectionException error = connectionFailure(endpoint, Futures.unwrap(failure));
                notify(endpoint, 0, started);
                LOG.debug("{} failed: {}", endpoint.template(), error.getMessage());
                throw error;
            }
            notify(endpoint, response.statusCode(), started);
            LOG.debug("{} -> {}", endpoint.template(), response.statusCode());
            return response;
        });
    }

    private TedeeConnectionException connectionFailure(Endpoint endpoint, Throwable cause) {
        if (cause instanceof CancellationException) {
            return new TedeeConnectionException(endpoint.template() + " was cancelled", endpoint, false, cause);
        }
        boolean timedOut = cause instanceof TimeoutException || cause instanceof HttpTimeoutException;
        String what = timedOut ? "timed out after " + timeout.toMillis() + " ms" : "could not reach the API (" + describe(cause) + ")";
        return new TedeeConnectionException(endpoint.template() + " " + what, endpoint, timedOut, cause);
    }

    private TedeeException errorFor(Endpoint endpoint, HttpResponse<byte[]> response) {
        List<String> messages = List.of();
        try {
            JsonNode body = MAPPER.readTree(response.body());
            if (body != null && body.path("errorMessages").isArray()) {
                List<String> collected = new ArrayList<>();
                body.path("errorMessages").forEach(m -> collected.add(m.asText()));
                messages = collected;
            }
        } catch (IOException | RuntimeException notJson) {
            // Error bodies are often HTML from a proxy: the status alone decides.
        }
        return ErrorMapping.forStatus(endpoint, response.statusCode(), messages,
                response.headers().firstValue("Retry-After"), clock);
    }

    private void notify(Endpoint endpoint, int status, long startedNanos) {
        try {
            listener.onRequest(endpoint, status, Duration.ofNanos(System.nanoTime() - startedNanos));
        } catch (RuntimeException e) {
            LOG.warn("request listener failed; ignoring", e);
        }
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
