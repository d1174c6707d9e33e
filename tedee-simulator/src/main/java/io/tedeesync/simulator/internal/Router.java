package io.tedeesync.simulator.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a method and raw path against the routes of {@link Routes}, in their order (so a literal
 * segment listed first wins over a {@code {parameter}}). The patterns are split once, here; a path is
 * split once per request. Immutable and thread-safe.
 */
final class Router {

    /** Which pipeline a route goes through. */
    enum Kind {
        /** {@code /api/{version}/...}: version, authentication, rate limit, faults. */
        API,
        /** A sync endpoint: the API pipeline, and each authenticated request counts against the sync floor. */
        SYNC,
        /**
         * The OAuth endpoints (authorize, token): no {@code Authorization} header, no rate limit, and only
         * the faults aimed at their route.
         */
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

    private record Compiled(Route route, String[] segments) {}

    private final List<Compiled> routes;

    Router(List<Route> routes) {
        this.routes = routes.stream().map(route -> new Compiled(route, route.segments())).toList();
    }

    Optional<Match> match(String method, String rawPath) {
        String[] actual = split(rawPath);
        if (actual == null) {
            return Optional.empty();
        }
        for (Compiled compiled : routes) {
            if (compiled.route().method().equals(method)) {
                Map<String, String> params = bind(compiled.segments(), actual);
                if (params != null) {
                    return Optional.of(new Match(compiled.route(), params));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether some route has this path under another method: a 405 rather than a 404. */
    boolean knowsPath(String rawPath) {
        String[] actual = split(rawPath);
        return actual != null && routes.stream().anyMatch(compiled -> bind(compiled.segments(), actual) != null);
    }

    private static String[] split(String rawPath) {
        return rawPath.startsWith("/") ? rawPath.substring(1).split("/", -1) : null;
    }

    private static Map<String, String> bind(String[] expected, String[] actual) {
        if (expected.length != actual.length) {
            return null;
        }
        // Literal segments first: most routes fail there, before anything is decoded or allocated.
        for (int i = 0; i < expected.length; i++) {
            if (!isParameter(expected[i]) && !expected[i].equals(actual[i])) {
                return null;
            }
        }
        Map<String, String> params = new HashMap<>(4);
        for (int i = 0; i < expected.length; i++) {
            String segment = expected[i];
            if (isParameter(segment)) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                String value = decodeSegment(actual[i]);
                if (value == null) {
                    return null;
                }
                params.put(segment.substring(1, segment.length() - 1), value);
            }
        }
        return params;
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /** Percent-decodes a path segment; a '+' in a path is a plus, not a space. Null when malformed. */
    private static String decodeSegment(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw; // nothing to decode, and a '+' stays a plus
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
