package io.tedeesync.client;

import java.util.List;

/** The account is not allowed to do this (HTTP 403), e.g. operate a lock it only has read access to. */
public class ForbiddenException extends TedeeException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message, Endpoint endpoint, int statusCode, List<String> errorMessages) {
        super(message, endpoint, statusCode, errorMessages, null);
    }
}
