package io.tedeesync.client;

import java.util.List;

/** No such lock or operation for this account (HTTP 404): the lock may have been removed or re-added with a new id. */
public class NotFoundException extends TedeeException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message, Endpoint endpoint, int statusCode, List<String> errorMessages) {
        super(message, endpoint, statusCode, errorMessages, null);
    }
}
