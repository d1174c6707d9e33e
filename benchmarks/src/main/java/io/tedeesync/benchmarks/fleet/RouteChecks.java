package io.tedeesync.benchmarks.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether an answer is what the route promises (the design of issue 13), judged against the unpaged list the
 * service gave once every lock was loaded and against the seeded history: a figure of a route that ignores its
 * filter, or of a history that is not the busy lock's, would be a figure of something else. Each check returns
 * null when the answer is right, else what is wrong; the answer's sizes go into the report's notes. Immutable.
 */
final class RouteChecks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> locks;
    private final BusyLockHistory history;

    /** @param list the unpaged {@code GET /api/locks} once every lock was loaded */
    RouteChecks(JsonNode list, BusyLockHistory history) {
        this.locks = new ArrayList<>();
        list.forEach(locks::add);
        this.history = history;
    }

    int lockCount() {
        return locks.size();
    }

    /** The first statuses the route is expected to answer with: 200, or 304 for a revalidation. */
    static boolean served(Route route, int status) {
        return status == 200 || route.kind() == Route.Kind.REVALIDATE && status == 304;
    }

    /** Null when the answer (the bodies of one operation) is right; else what is wrong. */
    String check(Route route, List<byte[]> bodies) throws IOException {
        if (route.kind() == Route.Kind.WALK) {
            return walk(bodies);
        }
        if (route.kind() == Route.Kind.REVALIDATE) {
            return null; // judged by the 304s it gets, shown in the report
        }
        JsonNode answer = JSON.readTree(bodies.get(0));
        return switch (route.name()) {
            case "all" -> answer.isArray() && answer.size() == locks.size() ? null : "not an array of " + locks.size();
            case "state" -> list(answer, lock -> "UNLOCKED".equals(text(lock, "state")));
            case "search" -> list(answer, lock -> contains(lock, "serialNumber") || contains(lock, "name"));
            case "offline" -> list(answer, lock -> !lock.path("isConnected").asBoolean());
            case "low-battery" -> lowBattery(answer);
            case "summary" -> summary(answer);
            default -> route.isHistory() ? history(route, answer) : "no check for " + route.name();
        };
    }

    /** What the answer holds, for the report: locks, or the history's parts. */
    static String sizes(Route route, List<byte[]> bodies) throws IOException {
        if (route.kind() == Route.Kind.WALK) {
            return bodies.size() + " pages";
        }
        if (bodies.isEmpty()) {
            return "";
        }
        JsonNode answer = JSON.readTree(bodies.get(0));
        if (answer.isArray()) {
            return answer.size() + " locks";
        }
        if (route.isHistory()) {
            return String.format(Locale.ROOT, "%,d states, %,d battery, %,d door, %d events%s", answer.path("states").size(),
                    answer.path("battery").size(), answer.path("door").size(), answer.path("events").size(),
                    answer.path("truncated").asBoolean() ? ", truncated" : "");
        }
        if (answer.has("locks")) {
            return answer.path("locks").size() + " of " + answer.path("total").asInt() + " locks";
        }
        return "";
    }

    private String list(JsonNode answer, Predicate<JsonNode> matches) {
        if (!answer.isArray()) {
            return "not an array";
        }
        Set<String> expected = serials(locks.stream().filter(matches).toList());
        Set<String> got = new HashSet<>();
        answer.forEach(lock -> got.add(text(lock, "serialNumber")));
        if (got.equals(expected)) {
            return null;
        }
        return String.format(Locale.ROOT, "%,d locks, expected %,d%s", got.size(), expected.size(),
                got.size() == locks.size() ? " (the filter was ignored)" : "");
    }

    private String lowBattery(JsonNode answer) {
        if (!answer.isObject() || !answer.path("locks").isArray()) {
            return "not a page {locks, total, nextCursor}" + (answer.isArray() ? " (an array of " + answer.size() + ": limit ignored)" : "");
        }
        List<JsonNode> expected = locks.stream().filter(lock -> lock.path("batteryLevel").isInt()
                && lock.path("batteryLevel").asInt() < Route.LOW_BATTERY).sorted((left, right) -> {
                    int byLevel = Integer.compare(left.path("batteryLevel").asInt(), right.path("batteryLevel").asInt());
                    return byLevel != 0 ? byLevel : text(left, "serialNumber").compareTo(text(right, "serialNumber"));
                }).toList();
        List<String> want = expected.stream().limit(100).map(lock -> text(lock, "serialNumber")).toList();
        List<String> got = new ArrayList<>();
        answer.path("locks").forEach(lock -> got.add(text(lock, "serialNumber")));
        if (answer.path("total").asInt(-1) != expected.size()) {
            return "total " + answer.path("total") + ", expected " + expected.size();
        }
        return got.equals(want) ? null : "not the " + want.size() + " lowest batteries in order (got " + got.size() + ")";
    }

    private String walk(List<byte[]> pages) throws IOException {
        List<String> seen = new ArrayList<>();
        for (byte[] page : pages) {
            JsonNode answer = JSON.readTree(page);
            if (!answer.path("locks").isArray()) {
                return "page " + (seen.size() / Route.PAGE + 1) + " is not {locks, total, nextCursor}";
            }
            answer.path("locks").forEach(lock -> seen.add(text(lock, "serialNumber")));
        }
        Set<String> distinct = new HashSet<>(seen);
        if (distinct.size() != seen.size()) {
            return (seen.size() - distinct.size()) + " locks repeated";
        }
        return distinct.equals(serials(locks)) ? null : distinct.size() + " distinct locks, expected " + locks.size();
    }

    private String summary(JsonNode answer) {
        JsonNode total = answer.path("total");
        long unlocked = locks.stream().filter(lock -> "UNLOCKED".equals(text(lock, "state"))).count();
        long offline = locks.stream().filter(lock -> !lock.path("isConnected").asBoolean()).count();
        if (total.path("locks").asInt(-1) != locks.size()) {
            return "total.locks " + total.path("locks") + ", expected " + locks.size();
        }
        if (total.path("states").path("UNLOCKED").asLong(-1) != unlocked || total.path("offline").asLong(-1) != offline) {
            return "total.states.UNLOCKED " + total.path("states").path("UNLOCKED") + " / offline " + total.path("offline") + ", expected "
                    + unlocked + " / " + offline;
        }
        return null;
    }

    /**
     * The range as asked, not truncated, the newest 100 events, and one door and one battery reading for each
     * seeded change in the range (plus the reading in effect at {@code from}, and the service's own first
     * listing of the lock, which may count as one).
     */
    private String history(Route route, JsonNode answer) {
        if (!answer.path("states").isArray()) {
            return "no states";
        }
        if (answer.path("truncated").asBoolean(true)) {
            return "truncated (or no truncated field)";
        }
        if (!route.from().equals(instant(answer.path("from")))) {
            return "from " + answer.path("from").asText() + ", asked " + route.from();
        }
        String door = readings(answer.path("door").size(), history.count(BusyLockHistory.DOOR, route.from(), route.to()), "door");
        String battery = readings(answer.path("battery").size(), history.count(BusyLockHistory.BATTERY, route.from(), route.to()), "battery");
        if (door != null || battery != null) {
            return door != null ? door : battery;
        }
        int changes = history.count(BusyLockHistory.STATE, route.from(), route.to()) + history.count(BusyLockHistory.CONNECTION, route.from(), route.to());
        if (answer.path("states").size() < changes / 2) {
            return answer.path("states").size() + " state intervals for " + changes + " seeded changes";
        }
        return answer.path("events").size() == 100 ? null : answer.path("events").size() + " events, expected the newest 100";
    }

    private static String readings(int got, int seeded, String what) {
        return got >= seeded && got <= seeded + 2 ? null : got + " " + what + " readings for " + seeded + " seeded changes";
    }

    private boolean contains(JsonNode lock, String field) {
        return text(lock, field).toLowerCase(Locale.ROOT).contains(Route.QUERY.toLowerCase(Locale.ROOT));
    }

    private static Set<String> serials(List<JsonNode> locks) {
        Set<String> serials = new HashSet<>();
        locks.forEach(lock -> serials.add(text(lock, "serialNumber")));
        return serials;
    }

    private static String text(JsonNode lock, String field) {
        JsonNode value = lock.path(field);
        return value.isTextual() ? value.asText() : "";
    }

    private static Instant instant(JsonNode value) {
        try {
            return java.time.OffsetDateTime.parse(value.asText()).toInstant(); // Z or an offset
        } catch (RuntimeException e) {
            return null;
        }
    }
}
