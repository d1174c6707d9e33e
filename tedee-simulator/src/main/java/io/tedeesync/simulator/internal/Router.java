package io.tedeesync.simulator.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a method and raw path against the routes of {@link Routes}, in their order (so a literal
 * segment listed first wins over a {@code {parameter}}). Immutable and thread-safe.
 */
final class Router {

    /** Which pipeline a route goes through. */
    enum Kind {
        /** {@code /api/{version}/...}: version, authentication, rate limit, faults. */
        API,
        /** A sync endpoint: the API pipeline, and each authenticated request counts against the sync floor. */
        SYNC,
        /** The token endpoint: no rate limit, no faults. */
        OAUTH,
        /** {@code /_sim/...}: no authentication, not recorded. */
        CONTROL
    }

    interface Handler {
        Response handle(Call call);
    }

    record Route(String method, String pattern, Kind kind, Handler handler) {
        String[] segments() {
            return pattern.substring(1).split("/", -1);
        }
    }

    record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes;

    Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    Optional<Match> match(String method, String rawPath) {
        for (Route route : routes) {
            if (route.method().equals(method)) {
                Map<String, String> params = bind(route, rawPath);
                if (params != null) {
                    return Optional.of(new Match(route, params));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether some route has this path under another method: a 405 rather than a 404. */
    boolean knowsPath(String rawPath) {
        return routes.stream().anyMatch(route -> bind(route, rawPath) != null);
    }

    private static Map<String, String> bind(Route route, String rawPath) {
        if (!rawPath.startsWith("/")) {
            return null;
        }
        String[] expected = route.segments();
        String[] actual = rawPath.substring(1).split("/", -1);
        if (expected.length != actual.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < expected.length; i++) {
            String segment = expected[i];
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                String value = decodeSegment(actual[i]);
                if (value == null) {
                    return null;
                }
                params.put(segment.substring(1, segment.length() - 1), value);
            } else if (!segment.equals(actual[i])) {
                return null;
            }
        }
        return params;
    }

    /** Percent-decodes a path segment; a '+' in a path is a plus, not a space. Null when malformed. */
    private static String decodeSegment(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
