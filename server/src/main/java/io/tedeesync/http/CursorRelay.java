package io.tedeesync.http;

import io.javalin.http.Context;
import io.tedeesync.cluster.ClusterMember;
import io.tedeesync.cluster.ClusterView;
import io.tedeesync.cluster.Forwarder;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * With several instances: a page of {@code GET /api/locks} whose cursor another instance made goes to that
 * instance, which alone holds the snapshot, and its answer comes back (with its ETag computed here from the
 * same bytes, so a client sees the same tag whichever instance it asks). A cursor of an instance that is no
 * longer alive (stopped, died, restarted under a new id) is {@code 410}. Thread-safe.
 */
final class CursorRelay {
    private static final int RETRY_AFTER_SECONDS = 2;

    private final ClusterMember member;
    private final Forwarder forwarder;

    CursorRelay(ClusterMember member, Forwarder forwarder) {
        this.member = member;
        this.forwarder = forwarder;
    }

    /**
     * Answers the request with the answer of {@code instance}, or {@code 410 cursor_expired} when it is not
     * alive (or this request was relayed already: an instance never relays a relayed request).
     */
    void relay(Context ctx, String instance, Duration timeout) throws InterruptedException {
        Optional<URI> holder = ctx.header(Forwarder.HEADER) != null ? Optional.empty() : liveUrlOf(instance);
        if (holder.isEmpty()) {
            throw LockListRoute.expired();
        }
        Map<String, String> headers = new HashMap<>();
        for (String name : Forwarder.CARRIED) {
            String value = ctx.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        String query = ctx.queryString();
        Optional<Forwarder.Answer> answer = forwarder.forward(holder.get(), "GET", ctx.path() + (query == null || query.isEmpty() ? ""
                : "?" + query), headers, null, timeout);
        if (answer.isEmpty()) {
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            ApiJson.error(ctx, 503, "owner_unreachable", "the instance that holds this cursor's snapshot (" + holder.get()
                    + ") did not answer; retry in " + RETRY_AFTER_SECONDS + " s");
            return;
        }
        answer.get().headers().forEach(ctx::header);
        if (answer.get().status() != 200) {
            ctx.status(answer.get().status()).result(answer.get().body());
            return;
        }
        // The holder's ETag and the caller's If-None-Match are not carried across: the tag is the bytes' hash, the same here.
        String etag = EntityTag.of(answer.get().body());
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        if (EntityTag.matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.status(200).result(answer.get().body());
    }

    /** Where the instance with this id is, if the last heartbeat saw it alive. */
    private Optional<URI> liveUrlOf(String instance) {
        for (ClusterView.Peer peer : member.view().instances()) {
            if (peer.id().equals(instance) && peer.alive()) {
                return Optional.of(URI.create(peer.url()));
            }
        }
        return Optional.empty();
    }
}
