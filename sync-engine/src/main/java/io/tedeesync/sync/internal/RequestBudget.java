package io.tedeesync.sync.internal;

import io.tedeesync.client.Endpoint;
import io.tedeesync.client.RequestListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Requests an account made in the last hour, counted as the client sends them (failed ones, 401
 * retries and every page of get-all included). A sliding window: staying under the limit in every
 * sliding hour also keeps it in every fixed hour, whichever Tedee applies. Thread-safe.
 */
public final class RequestBudget implements RequestListener {
    static final Duration WINDOW = Duration.ofHours(1);

    private final Clock clock;
    private final ArrayDeque<Instant> sent = new ArrayDeque<>();

    public RequestBudget(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void onRequest(Endpoint endpoint, int statusCode, Duration latency) {
        sent.addLast(clock.instant());
    }

    /** Requests in the hour before {@code now}. */
    public synchronized int used(Instant now) {
        prune(now);
        return sent.size();
    }

    /** The earliest time at which fewer than {@code allowed} requests lie in the window. */
    public synchronized Instant availableAt(Instant now, int allowed) {
        prune(now);
        int excess = sent.size() - allowed;
        if (excess < 0) {
            return now;
        }
        int index = 0;
        for (Instant at : sent) {
            if (index++ == excess) {
                return at.plus(WINDOW);
            }
        }
        return now.plus(WINDOW);
    }

    private void prune(Instant now) {
        Instant horizon = now.minus(WINDOW);
        while (!sent.isEmpty() && !sent.peekFirst().isAfter(horizon)) {
            sent.removeFirst();
        }
    }
}
