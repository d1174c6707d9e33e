package io.tedeesync.client.internal;

import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.Endpoint;
import io.tedeesync.client.ForbiddenException;
import io.tedeesync.client.NotFoundException;
import io.tedeesync.client.RateLimitedException;
import io.tedeesync.client.RequestRejectedException;
import io.tedeesync.client.TedeeException;
import io.tedeesync.client.TedeeServerException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The one place where an HTTP status becomes an exception. */
public final class ErrorMapping {
    /** Used when a 429 comes without a readable {@code Retry-After}: long enough not to make things worse. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);
    /** The longest wait a {@code Retry-After} is believed for. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);
    /** Whole seconds as RFC 9110 spells them; a fraction is tolerated, a sign is not. */
    private static final Pattern DELTA_SECONDS = Pattern.compile("\\d{1,30}(\\.\\d{1,9})?");

    private ErrorMapping() {
    }

    /**
     * @param endpoint      the call, or null outside the API (token endpoint)
     * @param status        the HTTP status (or the envelope's, for a 2xx with {@code success: false})
     * @param errorMessages the envelope's messages, possibly empty
     * @param retryAfter    the {@code Retry-After} header, if any
     */
    public static TedeeException forStatus(
            Endpoint endpoint, int status, List<String> errorMessages, Optional<String> retryAfter, Clock clock) {
        String message = describe(endpoint, status, errorMessages);
        if (status == 401) {
            return new AuthenticationException(message, endpoint, status, errorMessages);
        }
        if (status == 403) {
            return new ForbiddenException(message, endpoint, status, errorMessages);
        }
        if (status == 404) {
            return new NotFoundException(message, endpoint, status, errorMessages);
        }
        if (status == 429) {
            Optional<Duration> wait = retryAfter.flatMap(header -> parseRetryAfter(header, clock));
            return new RateLimitedException(message, endpoint, errorMessages,
                    wait.orElse(DEFAULT_RETRY_AFTER), wait.isPresent());
        }
        if (status >= 500 && status <= 599) {
            return new TedeeServerException(message, endpoint, status, errorMessages);
        }
        return new RequestRejectedException(message, endpoint, status, errorMessages);
    }

    /**
     * {@code Retry-After} is either delta-seconds or an HTTP date (RFC 9110). A date in the past means
     * "now" (zero). Anything else (a negative or signed number, text, an empty value) is unreadable, so
     * the caller falls back to {@link #DEFAULT_RETRY_AFTER}. A wait past {@link #MAX_RETRY_AFTER} is read
     * as that: no budget window is longer, and an absurd wait must not overflow a caller's clock.
     */
    static Optional<Duration> parseRetryAfter(String header, Clock clock) {
        String value = header.trim();
        if (DELTA_SECONDS.matcher(value).matches()) {
            double seconds = Double.parseDouble(value);
            if (seconds >= MAX_RETRY_AFTER.toSeconds()) {
                return Optional.of(MAX_RETRY_AFTER);
            }
            return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
        } catch (DateTimeException notDate) {
            return Optional.empty();
        }
    }

    private static String describe(Endpoint endpoint, int status, List<String> errorMessages) {
        StringBuilder text = new StringBuilder();
        text.append(endpoint == null ? "request" : endpoint.template()).append(" failed: HTTP ").append(status);
        String reason = reason(status);
        if (!reason.isEmpty()) {
            text.append(' ').append(reason);
        }
        if (!errorMessages.isEmpty()) {
            text.append(" (").append(String.join("; ", errorMessages)).append(')');
        }
        return text.toString();
    }

    private static String reason(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized: the personal access key or token was refused";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 409: return "Conflict";
            case 429: return "Too Many Requests: the account's hourly request budget is used up";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "";
        }
    }
}
