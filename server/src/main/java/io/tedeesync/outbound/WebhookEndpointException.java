package io.tedeesync.outbound;

/** Why the webhook endpoints API refused: each reason is one HTTP status. The message never holds a secret. */
public final class WebhookEndpointException extends RuntimeException {
    /** What went wrong, and the status it answers. */
    public enum Reason {
        /** The request itself is wrong (400). */
        INVALID(400, "invalid_webhook_endpoint"),
        /** The URL points at loopback or a private network, which is refused (400). */
        TARGET_REFUSED(400, "target_not_allowed"),
        /** No such endpoint or delivery (404). */
        NOT_FOUND(404, "not_found"),
        /** The endpoint kept changing under the request (another change, or the dispatcher's), which was not made (409). */
        CHANGED_MEANWHILE(409, "changed_meanwhile");

        private final int status;
        private final String code;

        Reason(int status, String code) {
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public WebhookEndpointException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
