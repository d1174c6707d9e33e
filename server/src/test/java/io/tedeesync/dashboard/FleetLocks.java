package io.tedeesync.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.dashboard.LiveService.SimulatedLock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

/**
 * The fleet tests' locks: a seeded fleet for the simulator, and what the fleet view should show of the
 * service's own GET /api/locks (orders, counts, the summary by the definitions of GET /api/summary).
 */
final class FleetLocks {
    /** The order of GET /api/locks without a sort: account, name in any case, serial. */
    static final Comparator<JsonNode> DEFAULT_ORDER = Comparator.<JsonNode, String>comparing(lock -> lock.path("account").asText())
            .thenComparing(lock -> lock.path("name").asText().toLowerCase(Locale.ROOT))
            .thenComparing(FleetLocks::serial);

    private FleetLocks() {
    }

    /** The order of GET /api/locks?sort=[-]sort: by the key, locks without one last either way, ties by serial. */
    static Comparator<JsonNode> order(String sort, boolean descending) {
        Comparator<JsonNode> bySerial = Comparator.comparing(FleetLocks::serial);
        return switch (sort) {
            case "battery" -> nullsLast(lock -> lock.has("batteryLevel") ? lock.path("batteryLevel").asInt() : null, descending, bySerial);
            case "name" -> nullsLast(lock -> lock.path("name").asText().toLowerCase(Locale.ROOT), descending, bySerial);
            case "state" -> nullsLast(lock -> lock.has("state") ? lock.path("state").asText() : null, descending, bySerial);
            case "lastChange" -> nullsLast(lock -> lock.has("lastStateChangedDate") ? Instant.parse(lock.path("lastStateChangedDate").asText()) : null,
                    descending, bySerial);
            default -> throw new IllegalArgumentException(sort);
        };
    }

    /** By the key, locks without one last whichever the direction, then by ties. */
    static <T extends Comparable<T>> Comparator<JsonNode> nullsLast(Function<JsonNode, T> key, boolean descending,
            Comparator<JsonNode> ties) {
        return (a, b) -> {
            T x = key.apply(a);
            T y = key.apply(b);
            if (x == null || y == null) {
                return x == y ? ties.compare(a, b) : x == null ? 1 : -1;
            }
            int order = descending ? y.compareTo(x) : x.compareTo(y);
            return order != 0 ? order : ties.compare(a, b);
        };
    }

    static List<JsonNode> sorted(JsonNode locks, Comparator<JsonNode> order) {
        return StreamSupport.stream(locks.spliterator(), false).sorted(order).toList();
    }

    static List<String> serials(List<JsonNode> locks) {
        return locks.stream().map(FleetLocks::serial).toList();
    }

    static String serial(JsonNode lock) {
        return lock.path("serialNumber").asText();
    }

    static long count(JsonNode locks, Predicate<JsonNode> check) {
        return StreamSupport.stream(locks.spliterator(), false).filter(check).count();
    }

    /** Whether the lock's battery is below the threshold, as {@code batteryBelow} filters. */
    static boolean lowBattery(JsonNode lock, int threshold) {
        return lock.has("batteryLevel") && lock.path("batteryLevel").asInt() < threshold;
    }

    /** The summary bar as the definitions of GET /api/summary give it from the API's own list. */
    static Map<String, Long> expectedSummary(JsonNode locks, int threshold) {
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("total", (long) locks.size());
        for (String state : List.of("LOCKED", "UNLOCKED", "SEMI_LOCKED", "LOCKING", "UNLOCKING", "PULLED", "PULLING",
                "UNCALIBRATED", "CALIBRATING", "UPDATING", "UNKNOWN")) {
            long number = count(locks, lock -> lock.path("state").asText().equals(state));
            if (number > 0) {
                expected.put("state:" + state, number);
            }
        }
        expected.put("unknownPosition", count(locks, lock -> !lock.has("state")));
        expected.put("offline", count(locks, lock -> !lock.path("isConnected").asBoolean()));
        expected.put("stale", count(locks, lock -> lock.path("stale").asBoolean()));
        expected.put("lowBattery", count(locks, lock -> lock.has("batteryLevel") && lock.path("batteryLevel").asInt() < threshold));
        expected.put("doorOpen", count(locks, lock -> lock.path("doorState").asText().equals("OPENED")));
        return expected;
    }

    static String accountName(int account) {
        return String.format(Locale.ROOT, "block-%02d", account);
    }

    /**
     * Accounts x locks, seeded: about 62 % locked, 20 % unlocked, 6 % semi-locked, 3 % Tedee's unknown, 2 %
     * uncalibrated (and the rest locked), 1 in 80 without its bridge; batteries 1-100 %; 15 % without a door
     * sensor, 12 % doors open; 1 in 50 charging. Serials 2051AA00-NNNNN, names "Block AA door NNN".
     */
    static List<SimulatedLock> simulated(int accounts, int perAccount, Random random) {
        List<SimulatedLock> locks = new ArrayList<>();
        for (int account = 0; account < accounts; account++) {
            for (int index = 0; index < perAccount; index++) {
                int roll = random.nextInt(100);
                int state = roll < 62 ? 6 : roll < 82 ? 2 : roll < 88 ? 3 : roll < 91 ? 9 : roll < 93 ? 0 : 6;
                int door = random.nextInt(100);
                locks.add(new SimulatedLock(accountName(account), String.format(Locale.ROOT, "2051%02d00-%05d", account, index),
                        String.format(Locale.ROOT, "Block %02d door %03d", account, index), state, 1 + random.nextInt(100),
                        door < 15 ? 0 : door < 27 ? 2 : 3, random.nextInt(50) == 0, random.nextInt(80) == 0));
            }
        }
        return locks;
    }
}
