package io.tedeesync.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.tedeesync.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/locks}: the fleet filtered and sorted ({@link LockQuery}); the plain array of views without
 * {@code limit} and {@code cursor} (as before paging existed, so scripts keep working), else one page of a
 * snapshot ({@link LockPages}) with the total and the cursor of the next. A cursor of another instance goes
 * to it ({@link CursorRelay}): only it holds the snapshot. Every answer is tagged ({@code ETag}, {@code 304}).
 * With several instances the other instances' locks are read from the store: when it cannot be read, the answer
 * is {@code 503 store_unavailable}. Thread-safe.
 */
final class LockListRoute {
    private static final Logger LOG = LoggerFactory.getLogger(LockListRoute.class);
    /** How long a page relayed to the instance that holds its snapshot may take. */
    private static final Duration RELAY_WAIT = Duration.ofSeconds(20);

    private final LockViews views;
    private final LockPages pages;
    /** This instance's id, which its cursors carry. */
    private final Supplier<String> instance;
    /** With several instances; null for one. */
    private final CursorRelay relay;

    /** One page: {@code nextCursor} is always there, null on the last page. */
    record LockPage(List<LockJson> locks, int total, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    LockListRoute(LockViews views, LockPages pages, Supplier<String> instance, CursorRelay relay) {
        this.views = views;
        this.pages = pages;
        this.instance = instance;
        this.relay = relay;
    }

    void handle(Context ctx) throws InterruptedException {
        try {
            LockQuery query = LockQuery.parse(ctx.queryParamMap());
            if (!query.paged()) {
                ApiJson.sendTagged(ctx, matching(query).stream().map(LockRow::view).toList());
            } else if (query.cursor() == null) {
                firstPage(ctx, query);
            } else {
                LockCursor cursor = LockCursor.decode(query.cursor());
                if (cursor.instance().equals(instance.get())) {
                    nextPage(ctx, query, cursor);
                } else if (relay != null) {
                    relay.relay(ctx, cursor.instance(), RELAY_WAIT);
                } else {
                    throw expired(); // another service's, or this one's before a restart
                }
            }
        } catch (QueryParameters.Problem problem) {
            QueryParameters.answer(ctx, problem);
        } catch (StoreException e) {
            ApiJson.storeUnavailable(ctx, LOG, "GET /api/locks", e); // other instances' locks are read from the store
        }
    }

    private List<LockRow> matching(LockQuery query) {
        return views.all().stream().filter(query.filter()).sorted(query.orderOrDefault().comparator()).toList();
    }

    private void firstPage(Context ctx, LockQuery query) {
        List<LockRow> rows = matching(query);
        int size = query.pageSize();
        String next = null;
        if (rows.size() > size) { // a snapshot only when there is a next page to go on to
            LockPages.Snapshot snapshot = pages.keep(query.selection(), rows.stream().map(LockRow::key).toList());
            next = new LockCursor(instance.get(), snapshot.id(), size).encode();
        }
        List<LockJson> page = rows.subList(0, Math.min(size, rows.size())).stream().map(LockRow::view).toList();
        ApiJson.sendTagged(ctx, new LockPage(page, rows.size(), next));
    }

    /** The snapshot's next locks with their views of now; a lock gone meanwhile is left out (the page is shorter). */
    private void nextPage(Context ctx, LockQuery query, LockCursor cursor) {
        LockPages.Snapshot snapshot = pages.find(cursor.snapshot()).orElseThrow(LockListRoute::expired);
        if (query.selects() && !query.selection().equals(snapshot.selection())) {
            throw new QueryParameters.Problem(400, "bad_cursor", "this cursor's first page chose other locks or another order: with a cursor,"
                    + " give the first page's " + LockQuery.selectionNames() + " or none of them");
        }
        if (cursor.position() > snapshot.size()) {
            throw LockCursor.bad();
        }
        Map<LockRow.Key, LockJson> now = new HashMap<>();
        for (LockRow row : views.all()) {
            now.put(row.key(), row.view());
        }
        int end = Math.min(snapshot.size(), cursor.position() + query.pageSize());
        List<LockJson> page = new ArrayList<>(end - cursor.position());
        for (int position = cursor.position(); position < end; position++) {
            LockJson view = now.get(snapshot.key(position));
            if (view != null) {
                page.add(view);
            }
        }
        String next = end < snapshot.size() ? new LockCursor(instance.get(), snapshot.id(), end).encode() : null;
        ApiJson.sendTagged(ctx, new LockPage(page, snapshot.size(), next));
    }

    static QueryParameters.Problem expired() {
        return new QueryParameters.Problem(410, "cursor_expired", "this cursor's snapshot is gone (unused for "
                + LockPages.IDLE.toMinutes() + " min, or the instance that made it stopped or restarted): start again without cursor");
    }
}
