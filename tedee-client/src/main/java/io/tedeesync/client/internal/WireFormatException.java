package io.tedeesync.client.internal;

/** A payload that parsed as JSON but misses what the docs promise; the transport turns it into a MalformedResponseException. */
final class WireFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WireFormatException(String message) {
        super(message);
    }

    WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
