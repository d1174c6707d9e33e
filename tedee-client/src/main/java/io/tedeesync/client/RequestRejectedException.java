package io.tedeesync.client;

import java.util.List;

/** The cloud refused the request for another reason (400, 409, other 4xx, or an envelope with {@code success: false}). Retrying the same request will not help. */
public class RequestRejectedException extends TedeeException {
    private static final long serialVersionUID = 1L;

    public RequestRejectedException(String message, Endpoint endpoint, int statusCode, List<String> errorMessages) {
        super(message, endpoint, statusCode, errorMessages, null);
    }
}
