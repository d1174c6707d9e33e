package io.tedeesync.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the simulator plays instead of answering an API request, injected with
 * {@link TedeeSimulator#injectFault(Fault, int)}.
 *
 * <p>Faults hit API requests that passed authentication and the rate limit (they count against the
 * hourly budget, as a real failing request does); they never hit control ({@code /_sim}) requests.
 * OAuth requests ({@code /oauth2/v2.0/authorize} and {@code /token}) get only a fault
 * {@linkplain #aimedAt aimed} at their route and not at an account (their account is not known before
 * they are answered). All implementations are immutable and thread-safe.
 */
public sealed interface Fault
        permits Fault.ServerError, Fault.MalformedBody, Fault.Slow, Fault.DropConnection, Fault.RateLimited,
        Fault.RateLimitedRaw, Fault.BadElement, Fault.Aimed {

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
     * Answer 429 with an envelope and a {@code Retry-After} header of exactly this text, readable or not:
     * {@code "0"}, {@code "-5"}, {@code "soon"}, {@code "Wed, 21 Oct 2015 07:28:00 GMT"} (a date in the past).
     */
    static Fault rateLimitedRetryAfter(String headerValue) {
        return new RateLimitedRaw(Objects.requireNonNull(headerValue, "headerValue"));
    }

    /** Answer 429 with an envelope and no {@code Retry-After} header at all. */
    static Fault rateLimitedWithoutRetryAfter() {
        return new RateLimitedRaw(null);
    }

    /**
     * Answer the next get-all or sync (all or {@code ?id=}) correctly except for one element: the first
     * lock of the answer that can carry the defect gets it. Requests of other endpoints, and answers
     * without such a lock, pass the fault by (it waits for the next list answer that has one).
     */
    static Fault badElement(Defect defect) {
        return new BadElement(defect, null);
    }

    /** {@link #badElement(Defect)} aimed at the element of lock {@code lockId}; waits for an answer that lists it. */
    static Fault badElement(Defect defect, long lockId) {
        return new BadElement(defect, lockId);
    }

    /**
     * {@code fault}, played only on requests of one endpoint, e.g. {@code aimedAt("GET", "/my/lock/{id}",
     * serverError(500))} fails the details of a lock while every sync goes through. {@code route} is the
     * path after {@code /api/{version}} as the API docs write it, or an OAuth path without its policy
     * segment: {@code aimedAt("POST", "/oauth2/v2.0/token", serverError(503))} fails the token endpoint
     * (a code exchange that meets it does not use up the code).
     */
    static Fault aimedAt(String method, String route, Fault fault) {
        return new Aimed(method, route, fault);
    }

    /**
     * A fault played only on one endpoint's requests.
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param route  the route after {@code /api/{version}}, e.g. {@code /my/lock/{id}}, or an OAuth path
     *               such as {@code /oauth2/v2.0/token}
     * @param fault  what to play there (not a bad element, which has its own aim)
     */
    record Aimed(String method, String route, Fault fault) implements Fault {
        public Aimed {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(fault, "fault");
            if (fault instanceof Aimed || fault instanceof BadElement) {
                throw new IllegalArgumentException("aim a plain fault, not " + fault);
            }
        }
    }

    /** What is wrong with the one bad element of a {@link BadElement} answer. */
    enum Defect {
        /**
         * The lock's state object says {@code "lastStateChangedDate": "2026-02-30T10:00:00Z"}. Only a
         * connected lock has a state object, so only a connected lock can carry it.
         */
        IMPOSSIBLE_DATE,
        /** The lock says {@code "isConnected": "yes"}: a string where a boolean belongs. */
        WRONG_TYPE
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

    /**
     * A 429 with an error envelope and a {@code Retry-After} header given as raw text.
     *
     * @param retryAfter the header's value exactly as sent, or null to send no {@code Retry-After}; no
     *                   control characters (they cannot be sent in a header)
     */
    record RateLimitedRaw(String retryAfter) implements Fault {
        public RateLimitedRaw {
            if (retryAfter != null && retryAfter.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                throw new IllegalArgumentException("A Retry-After header cannot carry control characters");
            }
        }
    }

    /**
     * A correct get-all or sync answer with one bad element.
     *
     * @param defect what is wrong with it
     * @param lockId the lock whose element gets it, or null for the first lock that can carry it
     */
    record BadElement(Defect defect, Long lockId) implements Fault {
        public BadElement {
            Objects.requireNonNull(defect, "defect");
        }
    }
}
