package io.tedeesync.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the simulator plays instead of answering an API request, injected with
 * {@link TedeeSimulator#injectFault(Fault, int)}.
 *
 * <p>Faults hit requests that passed authentication and the rate limit (they count against the
 * hourly budget, as a real failing request does); they never hit control ({@code /_sim}) or token
 * requests. All implementations are immutable and thread-safe.
 */
public sealed interface Fault
        permits Fault.ServerError, Fault.MalformedBody, Fault.Slow, Fault.DropConnection, Fault.RateLimited {

    /** Answer with a 5xx status and an error envelope. */
    static Fault serverError(int status) {
        return new ServerError(status);
    }

    /** Answer 200 with a truncated, unparseable JSON body. */
    static Fault malformedBody() {
        return new MalformedBody();
    }

    /**
     * Wait {@code delay} of <em>real</em> time (not simulated time) on the server thread, then
     * answer normally: this is how client timeouts are tested.
     */
    static Fault slow(Duration delay) {
        return new Slow(delay);
    }

    /**
     * Close the connection without sending a status line: the client sees an I/O error.
     *
     * <p>Mind the JDK {@code HttpClient}: when a connection closes before any response byte, it
     * retries an idempotent request (GET) once by itself, taking it for a stale pooled connection.
     * So a GET only fails with an {@code IOException} when the drop is injected twice
     * ({@code times = 2}); a POST fails on the first. With {@code times = 1} a GET succeeds on the
     * silent retry, and the request log shows both attempts.
     */
    static Fault dropConnection() {
        return new DropConnection();
    }

    /** Answer 429 with an envelope and {@code Retry-After} of {@code retryAfter} (whole seconds, at least 1). */
    static Fault rateLimited(Duration retryAfter) {
        return new RateLimited(retryAfter);
    }

    /**
     * A 5xx answer with an error envelope.
     *
     * @param status a 5xx status, e.g. 500, 502 or 503
     */
    record ServerError(int status) implements Fault {
        public ServerError {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("A server error needs a 5xx status, got " + status);
            }
        }
    }

    /** A 200 whose body is not valid JSON. */
    record MalformedBody() implements Fault {}

    /**
     * A normal answer after a wait in real time.
     *
     * @param delay how long to wait before answering
     */
    record Slow(Duration delay) implements Fault {
        public Slow {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative");
            }
        }
    }

    /** No answer at all. */
    record DropConnection() implements Fault {}

    /**
     * A 429 with an error envelope.
     *
     * @param retryAfter the wait announced in {@code Retry-After}
     */
    record RateLimited(Duration retryAfter) implements Fault {
        public RateLimited {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative");
            }
        }
    }
}
