package io.tedeesync.client;

import java.time.Duration;

/**
 * Told about every HTTP request the client sends to the API, after it ends: for metrics and for
 * counting an account's hourly budget (every request counts, failed ones too).
 *
 * <p>Called on the calling thread; implementations must be fast and thread-safe, and must not throw
 * (an exception is logged and ignored).
 */
public interface RequestListener {

    /**
     * @param endpoint   which call
     * @param statusCode the HTTP status, or 0 when no answer arrived (connection failure, timeout)
     * @param latency    time from sending to the end of the answer or failure
     */
    void onRequest(Endpoint endpoint, int statusCode, Duration latency);

    RequestListener NONE = (endpoint, statusCode, latency) -> { };
}
