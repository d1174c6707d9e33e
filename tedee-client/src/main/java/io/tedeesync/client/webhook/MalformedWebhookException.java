package io.tedeesync.client.webhook;

/** A webhook body that is not JSON, or misses what every webhook has (event name, device id). */
public final class MalformedWebhookException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedWebhookException(String message) {
        super(message);
    }

    MalformedWebhookException(String message, Throwable cause) {
        super(message, cause);
    }
}
