package io.tedeesync.http;

import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The query of {@code GET /api/locks}, parsed and checked: which locks ({@link LockFilter}), in which order
 * ({@link LockOrder}), and the page asked for. Names are exact; values are case-insensitive except
 * {@code account} and {@code cursor}. Lists ({@code state}, {@code account}, {@code doorState}) are
 * comma-separated or repeated; any other parameter given twice is refused. Immutable.
 *
 * @param states       lock state names, or empty for any
 * @param accounts     account names (exact), or empty for any
 * @param connected    {@code isConnected} must be this, or null for any
 * @param stale        {@code stale} must be this, or null for any
 * @param batteryBelow {@code batteryLevel} must be known and below this (1..100), or null for any
 * @param doorStates   door state names, or empty for any
 * @param text         lower-cased substring of the name or serial number ({@code q}), or null for any
 * @param order        the order asked for, or null for the default (account, name, serial)
 * @param limit        the page size asked for (1..1000), or null
 * @param cursor       the cursor as given ({@link LockCursor} decodes it), or null
 */
record LockQuery(Set<LockState> states, Set<String> accounts, Boolean connected, Boolean stale, Integer batteryBelow,
        Set<DoorState> doorStates, String text, LockOrder order, Integer limit, String cursor) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_TEXT = 100;
    /** Every parameter of {@code GET /api/locks}, as the unknown-parameter answer lists them. */
    static final List<String> PARAMETERS = List.of("state", "account", "connected", "stale", "batteryBelow", "doorState", "q", "sort",
            "limit", "cursor");
    /** Those that choose the locks and their order: with a cursor, they must be the first page's. */
    private static final List<String> SELECTION = PARAMETERS.subList(0, 8);
    private static final Pattern PERCENT = Pattern.compile("[0-9]{1,3}");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,4}");
    private static final Pattern SHOWN = Pattern.compile("[^A-Za-z0-9_.:+-]");
    private static final int SHOWN_LENGTH = 40;

    LockQuery {
        states = Collections.unmodifiableSet(states.isEmpty() ? EnumSet.noneOf(LockState.class) : EnumSet.copyOf(states));
        accounts = Collections.unmodifiableSet(new TreeSet<>(accounts));
        doorStates = Collections.unmodifiableSet(doorStates.isEmpty() ? EnumSet.noneOf(DoorState.class) : EnumSet.copyOf(doorStates));
    }

    /** Every lock in the default order, unpaged. */
    static final LockQuery ALL = new LockQuery(Set.of(), Set.of(), null, null, null, Set.of(), null, null, null, null);

    /**
     * Parses the query string's parameters (as Javalin gives them: each name with its values).
     *
     * @throws Problem {@code 400 unknown_parameter} or {@code 400 bad_parameter}, naming the parameter, the value
     *                 and what is allowed
     */
    static LockQuery parse(Map<String, List<String>> parameters) {
        refuseUnknown(parameters, PARAMETERS);
        return new LockQuery(
                names(parameters, "state", LockState.class),
                accounts(parameters),
                flag(parameters, "connected"),
                flag(parameters, "stale"),
                percent(parameters, "batteryBelow"),
                names(parameters, "doorState", DoorState.class),
                text(parameters),
                order(parameters),
                limit(parameters),
                single(parameters, "cursor"));
    }

    /** Whether a page was asked for ({@code limit} or {@code cursor}); without either, the answer is the plain array. */
    boolean paged() {
        return limit != null || cursor != null;
    }

    /** The page size: the one asked for, else {@value #DEFAULT_LIMIT}. */
    int pageSize() {
        return limit != null ? limit : DEFAULT_LIMIT;
    }

    /** Whether any parameter that chooses the locks or their order was given. */
    boolean selects() {
        return !equalSelection(ALL);
    }

    /** Whether both choose the same locks in the same order (the page parameters aside). */
    boolean equalSelection(LockQuery other) {
        return selection().equals(other.selection());
    }

    /** The parameters that choose the locks and their order, in a canonical text (a snapshot keeps it to compare). */
    String selection() {
        return "state=" + states + "&account=" + accounts + "&connected=" + connected + "&stale=" + stale + "&batteryBelow=" + batteryBelow
                + "&doorState=" + doorStates + "&q=" + (text == null ? "" : text) + "&sort=" + (order == null ? "" : order);
    }

    LockFilter filter() {
        return new LockFilter(states, accounts, connected, stale, batteryBelow, doorStates, text);
    }

    /** The order asked for, else the default one. */
    LockOrder orderOrDefault() {
        return order != null ? order : LockOrder.DEFAULT;
    }

    /** The names of the selection parameters, for a message. */
    static String selectionNames() {
        return String.join(", ", SELECTION);
    }

    // ---- parsing, shared with the summary's parameters

    /** {@code 400 unknown_parameter} for a parameter not in {@code known}. */
    static void refuseUnknown(Map<String, List<String>> parameters, List<String> known) {
        for (String name : parameters.keySet()) {
            if (!known.contains(name)) {
                throw Problem.unknownParameter(name, known);
            }
        }
    }

    /** An integer 1..100, or null when not given. */
    static Integer percent(Map<String, List<String>> parameters, String name) {
        String value = single(parameters, name);
        if (value == null) {
            return null;
        }
        int percent = PERCENT.matcher(value).matches() ? Integer.parseInt(value) : -1;
        if (percent < 1 || percent > 100) {
            throw Problem.badParameter(name, value, "an integer from 1 to 100");
        }
        return percent;
    }

    /** The one value of a parameter, or null when not given; refused when given twice or empty. */
    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new Problem(400, "bad_parameter", name + " is given " + values.size() + " times; give it once");
        }
        String value = values.get(0).strip();
        if (value.isEmpty()) {
            throw new Problem(400, "bad_parameter", name + " is empty; leave it out to ask for any");
        }
        return value;
    }

    /** The items of a list parameter (comma-separated, or repeated); empty when not given; an empty item is refused. */
    private static List<String> items(Map<String, List<String>> parameters, String name, String allowed) {
        List<String> values = parameters.get(name);
        List<String> items = new ArrayList<>();
        if (values == null) {
            return items;
        }
        for (String value : values) {
            for (String item : value.split(",", -1)) {
                if (item.isBlank()) {
                    throw Problem.badParameter(name, value, allowed + " (comma-separated, no empty item)");
                }
                items.add(item.strip());
            }
        }
        return items;
    }

    private static <E extends Enum<E>> Set<E> names(Map<String, List<String>> parameters, String name, Class<E> type) {
        String allowed = "one or more of " + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        Set<E> chosen = EnumSet.noneOf(type);
        for (String item : items(parameters, name, allowed)) {
            try {
                chosen.add(Enum.valueOf(type, item.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw Problem.badParameter(name, item, allowed);
            }
        }
        return chosen;
    }

    private static Set<String> accounts(Map<String, List<String>> parameters) {
        return new TreeSet<>(items(parameters, "account", "account names"));
    }

    private static Boolean flag(Map<String, List<String>> parameters, String name) {
        String value = single(parameters, name);
        if (value == null) {
            return null;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true": return Boolean.TRUE;
            case "false": return Boolean.FALSE;
            default: throw Problem.badParameter(name, value, "true or false");
        }
    }

    private static String text(Map<String, List<String>> parameters) {
        String text = single(parameters, "q");
        if (text == null) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw Problem.badParameter("q", text, "1 to " + MAX_TEXT + " characters");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static LockOrder order(Map<String, List<String>> parameters) {
        String value = single(parameters, "sort");
        if (value == null) {
            return null;
        }
        return LockOrder.parse(value).orElseThrow(() -> Problem.badParameter("sort", value, LockOrder.ALLOWED));
    }

    private static Integer limit(Map<String, List<String>> parameters) {
        String value = single(parameters, "limit");
        if (value == null) {
            return null;
        }
        int limit = COUNT.matcher(value).matches() ? Integer.parseInt(value) : -1;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Problem.badParameter("limit", value, "an integer from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** A value as a message may show it: only {@code [A-Za-z0-9_.:+-]} (others become {@code ?}), at most 40 characters. */
    static String shown(String value) {
        String safe = SHOWN.matcher(value).replaceAll("?");
        return safe.length() > SHOWN_LENGTH ? safe.substring(0, SHOWN_LENGTH - 3) + "..." : safe;
    }

    /** A request the fleet routes refuse: its status, error code and message ({@code ApiJson.error}). */
    static final class Problem extends RuntimeException {
        private final int status;
        private final String code;

        Problem(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        static Problem badParameter(String name, String value, String allowed) {
            return new Problem(400, "bad_parameter", name + " must be " + allowed + "; was '" + shown(value) + "'");
        }

        static Problem unknownParameter(String name, List<String> known) {
            return new Problem(400, "unknown_parameter", "unknown parameter '" + shown(name) + "' (known: " + String.join(", ", known) + ")");
        }

        int status() {
            return status;
        }

        String code() {
            return code;
        }
    }
}
