package io.tedeesync.client;

import java.util.List;

/** An HTTP answer whose body could not be read as the documented JSON. Transient as far as we know: back off and retry. */
public class MalformedResponseException extends TedeeException {
    private static final long serialVersionUID = 1L;

    public MalformedResponseException(String message, Endpoint endpoint, int statusCode, Throwable cause) {
        super(message, endpoint, statusCode, List.of(), cause);
    }
}
