package io.tedeesync.client;

import java.time.Duration;

/**
 * Told about every HTTP request the client sends to the API, after it ends: for metrics and for
 * counting an account's hourly budget (every request counts, failed ones too).
 *
 * <p>Called once per request (each page of a get-all, each part of a split sync, the retry after a 401),
 * before the call's future completes, on the thread that finished the request (usually one of the HTTP
 * client's executor, also for a blocking call). Implementations must be fast, thread-safe and
 * non-blocking, and must not throw (an exception is logged and ignored).
 */
public interface RequestListener {

    /**
     * @param endpoint   which call
     * @param statusCode the HTTP status, or 0 when no answer arrived (connection failure, timeout)
     * @param latency    time from sending to the end of the answer or failure
     */
    void onRequest(Endpoint endpoint, int statusCode, Duration latency);

    RequestListener NONE = (endpoint, statusCode, latency) -> { };

    /** One listener that tells each of these in turn; one that throws does not keep the others from being told. */
    static RequestListener all(java.util.List<RequestListener> listeners) {
        java.util.List<RequestListener> copy = java.util.List.copyOf(listeners);
        if (copy.isEmpty()) {
            return NONE;
        }
        if (copy.size() == 1) {
            return copy.get(0);
        }
        return (endpoint, statusCode, latency) -> {
            RuntimeException first = null;
            for (RequestListener listener : copy) {
                try {
                    listener.onRequest(endpoint, statusCode, latency);
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        };
    }
}
