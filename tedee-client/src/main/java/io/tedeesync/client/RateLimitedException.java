package io.tedeesync.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The account is over its request budget (HTTP 429, 700 requests an hour). Send nothing to this
 * account before {@link #retryAfter()} has passed.
 */
public class RateLimitedException extends TedeeException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;
    private final boolean retryAfterGiven;

    public RateLimitedException(String message, Endpoint endpoint, List<String> errorMessages, Duration retryAfter, boolean retryAfterGiven) {
        super(message, endpoint, 429, errorMessages, null);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.retryAfterGiven = retryAfterGiven;
    }

    /** How long to wait: the {@code Retry-After} header, or a conservative default when it was missing or unreadable. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether {@link #retryAfter()} came from the server's header rather than the default. */
    public boolean retryAfterGiven() {
        return retryAfterGiven;
    }
}
