package io.tedeesync.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tedeesync.client.Credentials;
import io.tedeesync.client.Endpoint;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one API call and returns its {@code result}, or throws the matching {@link TedeeException}.
 * Owns the envelope, authentication (one retry after a 401 when the credentials can be refreshed),
 * timeouts and the request listener. Thread-safe and immutable.
 */
public final class ApiTransport {
    private static final Logger LOG = LoggerFactory.getLogger(ApiTransport.class);

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final HttpClient http;
    private final URI apiRoot;
    private final Credentials credentials;
    private final Duration timeout;
    private final RequestListener listener;
    private final Clock clock;
    private final String userAgent;

    public ApiTransport(HttpClient http, URI baseUrl, String apiVersion, Credentials credentials,
            Duration timeout, RequestListener listener, Clock clock, String userAgent) {
        this.http = http;
        this.apiRoot = URI.create(stripTrailingSlash(baseUrl.toString()) + "/api/" + apiVersion);
        this.credentials = credentials;
        this.timeout = timeout;
        this.listener = listener;
        this.clock = clock;
        this.userAgent = userAgent;
    }

    /** Calls {@code GET}/{@code POST} on a path under {@code /api/{version}} and reads the result as {@code resultType}. */
    <T> T call(Endpoint endpoint, String method, String pathAndQuery, JavaType resultType) {
        HttpResponse<byte[]> response = send(endpoint, method, pathAndQuery, false);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw errorFor(endpoint, response);
        }
        Wire.Envelope<T> envelope = parse(endpoint, response, MAPPER.getTypeFactory()
                .constructParametricType(Wire.Envelope.class, resultType));
        if (envelope == null) {
            throw new MalformedResponseException(endpoint.template() + " answered HTTP " + status + " with an empty body",
                    endpoint, status, null);
        }
        List<String> messages = envelope.errorMessages() == null ? List.of() : envelope.errorMessages();
        if (Boolean.FALSE.equals(envelope.success())) {
            int reported = envelope.statusCode() == null || envelope.statusCode() < 400 ? 400 : envelope.statusCode();
            throw ErrorMapping.forStatus(endpoint, reported, messages, response.headers().firstValue("Retry-After"), clock);
        }
        if (envelope.result() == null) {
            throw new MalformedResponseException(endpoint.template() + " answered without a result", endpoint, status, null);
        }
        return envelope.result();
    }

    /** Maps each element with {@code mapper}, turning a missing field into a {@link MalformedResponseException}. */
    static <D, R> List<R> mapAll(Endpoint endpoint, List<D> items, Function<D, R> mapper) {
        List<R> mapped = new ArrayList<>(items.size());
        for (D item : items) {
            mapped.add(mapOne(endpoint, item, mapper));
        }
        return mapped;
    }

    static <D, R> R mapOne(Endpoint endpoint, D item, Function<D, R> mapper) {
        try {
            return mapper.apply(item);
        } catch (WireFormatException e) {
            throw new MalformedResponseException(endpoint.template() + " answered an unreadable entry: " + e.getMessage(),
                    endpoint, 200, e);
        }
    }

    static JavaType listOf(Class<?> element) {
        return MAPPER.getTypeFactory().constructCollectionType(List.class, element);
    }

    static JavaType type(Class<?> type) {
        return MAPPER.getTypeFactory().constructType(type);
    }

    private HttpResponse<byte[]> send(Endpoint endpoint, String method, String pathAndQuery, boolean retried) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiRoot + pathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .header("Authorization", credentials.authorizationHeader())
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        long started = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = await(endpoint, http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        } catch (TedeeConnectionException e) {
            notify(endpoint, 0, started);
            LOG.debug("{} failed: {}", endpoint.template(), e.getMessage());
            throw e;
        }
        notify(endpoint, response.statusCode(), started);
        LOG.debug("{} -> {}", endpoint.template(), response.statusCode());
        if (response.statusCode() == 401 && !retried && credentials.invalidate()) {
            LOG.info("{} was refused with 401; retrying once with refreshed credentials", endpoint.template());
            return send(endpoint, method, pathAndQuery, true);
        }
        return response;
    }

    /** Waits for the answer with a hard deadline: the request timeout alone does not bound a slow body. */
    private HttpResponse<byte[]> await(Endpoint endpoint, CompletableFuture<HttpResponse<byte[]>> pending) {
        try {
            return pending.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new TedeeConnectionException(endpoint.template() + " timed out after " + timeout.toMillis() + " ms",
                    endpoint, true, e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new TedeeConnectionException(endpoint.template() + " was interrupted", endpoint, false, e);
        } catch (CancellationException e) {
            throw new TedeeConnectionException(endpoint.template() + " was cancelled", endpoint, false, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            boolean timedOut = cause instanceof HttpTimeoutException;
            String what = timedOut ? "timed out after " + timeout.toMillis() + " ms" : "could not reach the API (" + describe(cause) + ")";
            throw new TedeeConnectionException(endpoint.template() + " " + what, endpoint, timedOut, cause);
        }
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

    private static <T> T parse(Endpoint endpoint, HttpResponse<byte[]> response, JavaType type) {
        try {
            return MAPPER.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw new MalformedResponseException(endpoint.template() + " answered unreadable JSON ("
                    + e.getOriginalMessage() + ")", endpoint, response.statusCode(), e);
        } catch (IOException e) {
            throw new MalformedResponseException(endpoint.template() + " answered an unreadable body",
                    endpoint, response.statusCode(), e);
        }
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
