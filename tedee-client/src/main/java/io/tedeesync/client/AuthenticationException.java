package io.tedeesync.client;

import java.util.List;

/** The credentials were refused (HTTP 401), or a token could not be refreshed. Retrying with the same credentials is pointless. */
public class AuthenticationException extends TedeeException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message, Endpoint endpoint, int statusCode, List<String> errorMessages) {
        super(message, endpoint, statusCode, errorMessages, null);
    }
}
