package io.tedeesync.outbound;

import io.tedeesync.server.HumanDuration;
import io.tedeesync.store.DeliveryRow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes one attempt: checks the target's addresses against the {@link TargetPolicy} ({@link TargetChecks}: off the
 * caller's thread, one lookup per endpoint, verdicts cached briefly), then posts the payload with the Standard
 * Webhooks headers on a JDK {@link HttpClient} of its own (HTTP/1.1, non-blocking, redirects not followed). The
 * whole attempt, the name's resolution included, has {@code timeout}. Thread-safe.
 */
final class WebhookSender implements AutoCloseable {
    static final String USER_AGENT = "tedee-sync-webhooks";

    /**
     * How an attempt ended.
     *
     * @param status        the HTTP status, or null when none came
     * @param retryAfter    the receiver's {@code Retry-After} on 429/503, or null
     * @param error         why it failed, or null on 2xx
     * @param latencyMillis from sending to the answer (or to giving up)
     * @param kind          for the metrics: 2xx, 4xx, 5xx, other, timeout, error, refused
     */
    record Outcome(Integer status, Duration retryAfter, String error, long latencyMillis, String kind) {
        static Outcome refused(String reason, long latencyMillis) {
            return new Outcome(null, null, "refused: " + reason, latencyMillis, "refused");
        }

        static Outcome error(String reason, long latencyMillis) {
            return new Outcome(null, null, reason, latencyMillis, "error");
        }

        boolean succeeded() {
            return status != null && status >= 200 && status < 300;
        }

        boolean gone() {
            return status != null && status == 410;
        }
    }

    private final TargetChecks checks;
    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    /** Requests in flight. */
    private final java.util.Set<CompletableFuture<?>> calls = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param clock for an HTTP-date {@code Retry-After} */
    WebhookSender(TargetChecks checks, Duration timeout, Clock clock) {
        this.checks = checks;
        this.timeout = timeout;
        this.clock = clock;
        this.httpThreads = Executors.newFixedThreadPool(2, named("tedee-sync-webhooks-http-"));
        this.http = HttpClient.newBuilder()
                .executor(httpThreads)
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade headers to http:// receivers
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    /** Sends {@code delivery} signed with {@code secrets} (current first) at {@code at}; never completes exceptionally. */
    CompletableFuture<Outcome> send(URI target, DeliveryRow delivery, List<String> secrets, Instant at) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long timestamp = at.getEpochSecond();
        String messageId = Long.toString(delivery.eventId());
        String signature = WebhookSignature.header(secrets, messageId, timestamp, delivery.payload());
        CompletableFuture<Optional<String>> checked;
        try {
            checked = checks.check(delivery.endpointId(), target).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            return CompletableFuture.completedFuture(Outcome.error("the service is stopping", 0));
        }
        return checked.handle((refusal, failure) -> {
            if (failure != null) {
                return CompletableFuture.completedFuture(unchecked(failure, millisSince(started)));
            }
            if (refusal.isPresent()) {
                return CompletableFuture.completedFuture(Outcome.refused(refusal.get(), millisSince(started)));
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return CompletableFuture.completedFuture(timedOut(millisSince(started)));
            }
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofNanos(remaining))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .header("webhook-id", messageId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                    .build();
            return call(request, remaining).thenApply(response -> answered(response, millisSince(started), clock.instant()));
        }).thenCompose(outcome -> outcome).exceptionally(failure -> failed(failure, millisSince(started)));
    }

    /** The request, tracked until it ends, so that {@link #close()} can abandon it. */
    private CompletableFuture<HttpResponse<Void>> call(HttpRequest request, long remainingNanos) {
        CompletableFuture<HttpResponse<Void>> call = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                // the client's timeout ends at the headers: a body that never ends must not hold the place
                .orTimeout(remainingNanos, TimeUnit.NANOSECONDS);
        calls.add(call);
        call.whenComplete((response, failure) -> calls.remove(call));
        if (closed) {
            call.cancel(true);
        }
        return call;
    }

    private static Outcome answered(HttpResponse<Void> response, long latency, Instant now) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Outcome(status, null, null, latency, "2xx");
        }
        Duration retryAfter = status == 429 || status == 503 ? response.headers().firstValue("Retry-After").map(value -> retryAfter(value, now))
                .orElse(null) : null;
        String error = "HTTP " + status + (status == 410 ? " Gone" : "") + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
        String kind = status >= 400 && status < 500 ? "4xx" : status >= 500 && status < 600 ? "5xx" : "other";
        return new Outcome(status, retryAfter, error, latency, kind);
    }

    /** Seconds, or an HTTP date (from {@code now}); null when neither (or in the past). */
    static Duration retryAfter(String value, Instant now) {
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? null : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** The target check did not end: the name did not resolve in the attempt's time, or the service is stopping. */
    private Outcome unchecked(Throwable failure, long latency) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return new Outcome(null, null, "the host name did not resolve within " + HumanDuration.format(timeout), latency, "timeout");
        }
        return cause instanceof java.util.concurrent.RejectedExecutionException ? Outcome.error("the service is stopping", latency)
                : failed(cause, latency);
    }

    private Outcome timedOut(long latency) {
        return new Outcome(null, null, "no answer within " + HumanDuration.format(timeout), latency, "timeout");
    }

    private Outcome failed(Throwable failure, long latency) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpConnectTimeoutException) {
            return new Outcome(null, null, "could not connect within " + HumanDuration.format(timeout), latency, "timeout");
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return timedOut(latency);
        }
        String message = cause.getMessage();
        return Outcome.error(cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message), latency);
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Abandons attempts in flight: their requests are cancelled, so that nothing (the client's timers, the timeouts'
     * scheduler) keeps a stopped service reachable until they would have timed out.
     */
    @Override
    public void close() {
        closed = true;
        calls.forEach(call -> call.cancel(true));
        checks.close();
        httpThreads.shutdownNow();
    }
}
