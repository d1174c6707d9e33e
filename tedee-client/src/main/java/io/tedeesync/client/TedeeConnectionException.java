package io.tedeesync.client;

import java.util.List;

/**
 * No HTTP answer: the connection failed, was dropped, or the call timed out. {@link #statusCode()} is
 * 0 (no status is invented for a timeout). Transient: back off and retry.
 */
public class TedeeConnectionException extends TedeeException {
    private static final long serialVersionUID = 1L;

    private final boolean timeout;

    public TedeeConnectionException(String message, Endpoint endpoint, boolean timeout, Throwable cause) {
        super(message, endpoint, 0, List.of(), cause);
        this.timeout = timeout;
    }

    /** Whether the call ran out of time (connect or request timeout) rather than failing outright. */
    public boolean isTimeout() {
        return timeout;
    }
}
