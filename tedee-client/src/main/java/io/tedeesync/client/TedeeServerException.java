package io.tedeesync.client;

import java.util.List;

/** The cloud failed to answer properly (HTTP 5xx). Transient: back off and retry. */
public class TedeeServerException extends TedeeException {
    private static final long serialVersionUID = 1L;

    public TedeeServerException(String message, Endpoint endpoint, int statusCode, List<String> errorMessages) {
        super(message, endpoint, statusCode, errorMessages, null);
    }
}
