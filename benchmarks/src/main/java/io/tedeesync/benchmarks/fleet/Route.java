package io.tedeesync.benchmarks.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One thing the benchmark asks the service, again and again: a GET, a paging walk (every page of
 * {@code /api/locks?limit=1000}, following {@code nextCursor}: one operation), or a poller's revalidation
 * (the same GET with {@code If-None-Match} of the last tag it got). Immutable.
 *
 * @param name  short name, for {@code --profile} and the report
 * @param label what the report shows
 * @param kind  how it is asked
 * @param path  path and query (for a walk: its first page)
 * @param from  for a history: the start of the range asked, else null
 * @param to    for a history: the end of the range asked, else null
 */
record Route(String name, String label, Kind kind, String path, Instant from, Instant to) {
    enum Kind { GET, WALK, REVALIDATE }

    static final String QUERY = "0012";
    static final int LOW_BATTERY = 20;
    static final int PAGE = 1000;

    static final List<String> NAMES = List.of("all", "state", "search", "low-battery", "walk", "offline", "summary", "revalidate",
            "revalidate-summary", "history-24h", "history-7d", "history-30d");

    /** Every route, in the order measured; the histories end at {@code to} (fixed, so every request asks the same). */
    static List<Route> all(String busySerial, Instant to) {
        return List.of(
                get("all", "GET /api/locks (unpaged, every lock)", "/api/locks"),
                get("state", "GET /api/locks?state=UNLOCKED", "/api/locks?state=UNLOCKED"),
                get("search", "GET /api/locks?q=" + QUERY + " (part of a serial)", "/api/locks?q=" + QUERY),
                get("low-battery", "GET /api/locks?batteryBelow=" + LOW_BATTERY + "&sort=battery&limit=100",
                        "/api/locks?batteryBelow=" + LOW_BATTERY + "&sort=battery&limit=100"),
                new Route("walk", "walk: /api/locks?limit=" + PAGE + " + every nextCursor", Kind.WALK, "/api/locks?limit=" + PAGE, null, null),
                get("offline", "GET /api/locks?connected=false", "/api/locks?connected=false"),
                get("summary", "GET /api/summary", "/api/summary"),
                new Route("revalidate", "GET /api/locks, If-None-Match (poller)", Kind.REVALIDATE, "/api/locks", null, null),
                new Route("revalidate-summary", "GET /api/summary, If-None-Match (poller)", Kind.REVALIDATE, "/api/summary", null, null),
                history("history-24h", "24 h", busySerial, to, Duration.ofHours(24)),
                history("history-7d", "7 d", busySerial, to, Duration.ofDays(7)),
                history("history-30d", "30 d", busySerial, to, Duration.ofDays(30)));
    }

    private static Route get(String name, String label, String path) {
        return new Route(name, label, Kind.GET, path, null, null);
    }

    private static Route history(String name, String range, String serial, Instant to, Duration length) {
        Instant from = to.minus(length);
        return new Route(name, "GET /api/locks/{busy}/history, " + range, Kind.GET,
                "/api/locks/" + serial + "/history?from=" + from + "&to=" + to, from, to);
    }

    boolean isHistory() {
        return from != null;
    }
}
