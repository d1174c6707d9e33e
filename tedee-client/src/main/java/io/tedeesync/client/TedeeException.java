package io.tedeesync.client;

import java.util.List;

/**
 * Root of every failure of the Tedee client. Unchecked: subclasses say what the caller does next.
 *
 * <ul>
 *   <li>{@link AuthenticationException}: the credentials were refused (401); get new ones.</li>
 *   <li>{@link ForbiddenException}: the account may not do this (403); do not retry.</li>
 *   <li>{@link NotFoundException}: no such lock or operation (404); refresh the lock list.</li>
 *   <li>{@link RateLimitedException}: over the hourly budget (429); wait {@link RateLimitedException#retryAfter()}.</li>
 *   <li>{@link TedeeServerException}: the cloud failed (5xx); back off and retry.</li>
 *   <li>{@link TedeeConnectionException}: no HTTP answer (connection, timeout); back off and retry.</li>
 *   <li>{@link MalformedResponseException}: an answer that could not be read; back off and retry.</li>
 *   <li>{@link RequestRejectedException}: any other refusal (400, 409, {@code success: false}); do not retry as is.</li>
 * </ul>
 *
 * <p>Messages never contain a credential.
 */
public class TedeeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Endpoint endpoint;
    private final int statusCode;
    private final List<String> errorMessages;

    public TedeeException(String message, Endpoint endpoint, int statusCode, List<String> errorMessages, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.statusCode = statusCode;
        this.errorMessages = errorMessages == null ? List.of() : List.copyOf(errorMessages);
    }

    /** The call that failed, or null when it was not an API call (e.g. the token endpoint). */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The HTTP status, or 0 when there was no HTTP answer (connection failure, timeout). */
    public int statusCode() {
        return statusCode;
    }

    /** The envelope's {@code errorMessages}, empty when there were none. */
    public List<String> errorMessages() {
        return errorMessages;
    }
}
