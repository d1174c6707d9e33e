package io.tedeesync.http;

import io.javalin.http.Context;
import io.tedeesync.cluster.Forwarder;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * With several instances: a page of {@code GET /api/locks} whose cursor another instance made goes to that
 * instance, which alone holds the snapshot, and its answer comes back (with its ETag computed here from the
 * same bytes, so a client sees the same tag whichever instance it asks). A cursor of an instance that is no
 * longer alive (stopped, died, restarted under a new id) is {@code 410}. The relaying itself is
 * {@link ClusterRouting}'s, as for the routes of one lock. Thread-safe.
 */
final class CursorRelay {
    private final ClusterRouting routing;

    CursorRelay(ClusterRouting routing) {
        this.routing = routing;
    }

    /**
     * Answers the request with the answer of {@code instance}, or {@code 410 cursor_expired} when it is not
     * alive (or this request was relayed already: an instance never relays a relayed request).
     */
    void relay(Context ctx, String instance, Duration timeout) throws InterruptedException {
        Optional<URI> holder = ClusterRouting.forwarded(ctx) ? Optional.empty() : routing.liveInstance(instance);
        if (holder.isEmpty()) {
            throw LockListRoute.expired();
        }
        Optional<Forwarder.Answer> answer = routing.forward(ctx, holder.get(), timeout);
        if (answer.isEmpty()) {
            ClusterRouting.unreachable(ctx, "the instance that holds this cursor's snapshot", holder.get());
            return;
        }
        answer.get().headers().forEach(ctx::header);
        if (answer.get().status() != 200) {
            ctx.status(answer.get().status()).result(answer.get().body());
            return;
        }
        // The holder's ETag and the caller's If-None-Match are not carried across: the tag is the bytes' hash, the same here.
        ApiJson.sendTagged(ctx, answer.get().body());
    }
}
