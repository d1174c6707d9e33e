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
 * The query of {@code GET /api/locks}, parsed and checked ({@link QueryParameters}'s rules): which locks
 * ({@link LockFilter}), in which order ({@link LockOrder}), and the page asked for. Names are exact; values are
 * case-insensitive except {@code account} and {@code cursor}. Lists ({@code state}, {@code account},
 * {@code doorState}) are comma-separated or repeated; any other parameter given twice is refused. Immutable.
 *
 * @param states       lock state names, or empty for any
 * @param noState      {@code state=NONE} was asked: a lock whose state is null (its position not known now) matches
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
record LockQuery(Set<LockState> states, boolean noState, Set<String> accounts, Boolean connected, Boolean stale, Integer batteryBelow,
        Set<DoorState> doorStates, String text, LockOrder order, Integer limit, String cursor) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_TEXT = 100;
    /** Every parameter of {@code GET /api/locks}, as the unknown-parameter answer lists them. */
    static final List<String> PARAMETERS = List.of("state", "account", "connected", "stale", "batteryBelow", "doorState", "q", "sort",
            "limit", "cursor");
    /** Those that choose the locks and their order: with a cursor, they must be the first page's. */
    private static final List<String> SELECTION = PARAMETERS.subList(0, 8);
    /** The {@code state} that stands for no state: a lock whose position is not known now (the summary's {@code unknownPosition}). */
    static final String NO_STATE = "NONE";
    private static final String STATE_ALLOWED = allowed(LockState.class) + ", or " + NO_STATE + " for a position not known now";
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,4}");

    LockQuery {
        states = Collections.unmodifiableSet(states.isEmpty() ? EnumSet.noneOf(LockState.class) : EnumSet.copyOf(states));
        accounts = Collections.unmodifiableSet(new TreeSet<>(accounts));
        doorStates = Collections.unmodifiableSet(doorStates.isEmpty() ? EnumSet.noneOf(DoorState.class) : EnumSet.copyOf(doorStates));
    }

    /** Every lock in the default order, unpaged. */
    static final LockQuery ALL = new LockQuery(Set.of(), false, Set.of(), null, null, null, Set.of(), null, null, null, null);

    /**
     * What chooses the locks and their order (the page parameters aside): equal exactly when two queries choose the
     * same locks in the same order; a snapshot keeps it to hold its next pages to it.
     */
    record Selection(Set<LockState> states, boolean noState, Set<String> accounts, Boolean connected, Boolean stale, Integer batteryBelow,
            Set<DoorState> doorStates, String text, LockOrder order) {
    }

    /**
     * Parses the query string's parameters (as Javalin gives them: each name with its values).
     *
     * @throws QueryParameters.Problem {@code 400 unknown_parameter} or {@code 400 bad_parameter}, naming the
     *                                 parameter, the value and what is allowed
     */
    static LockQuery parse(Map<String, List<String>> parameters) {
        QueryParameters.refuseUnknown(parameters, PARAMETERS);
        List<String> stateNames = items(parameters, "state", STATE_ALLOWED);
        return new LockQuery(
                names(stateNames.stream().filter(name -> !isNoState(name)).toList(), "state", LockState.class, STATE_ALLOWED),
                stateNames.stream().anyMatch(LockQuery::isNoState),
                accounts(parameters),
                flag(parameters, "connected"),
                flag(parameters, "stale"),
                QueryParameters.percent(parameters, "batteryBelow"),
                names(items(parameters, "doorState", allowed(DoorState.class)), "doorState", DoorState.class, allowed(DoorState.class)),
                text(parameters),
                order(parameters),
                limit(parameters),
                QueryParameters.single(parameters, "cursor"));
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

    /** The parameters that choose the locks and their order. */
    Selection selection() {
        return new Selection(states, noState, accounts, connected, stale, batteryBelow, doorStates, text, order);
    }

    LockFilter filter() {
        return new LockFilter(states, noState, accounts, connected, stale, batteryBelow, doorStates, text);
    }

    /** The order asked for, else the default one. */
    LockOrder orderOrDefault() {
        return order != null ? order : LockOrder.DEFAULT;
    }

    /** The names of the selection parameters, for a message. */
    static String selectionNames() {
        return String.join(", ", SELECTION);
    }

    // ---- parsing

    private static boolean isNoState(String name) {
        return name.toUpperCase(Locale.ROOT).equals(NO_STATE);
    }

    private static String allowed(Class<? extends Enum<?>> type) {
        return "one or more of " + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
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
                    throw QueryParameters.Problem.badParameter(name, value, allowed + " (comma-separated, no empty item)");
                }
                items.add(item.strip());
            }
        }
        return items;
    }

    private static <E extends Enum<E>> Set<E> names(List<String> items, String name, Class<E> type, String allowed) {
        Set<E> chosen = EnumSet.noneOf(type);
        for (String item : items) {
            try {
                chosen.add(Enum.valueOf(type, item.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw QueryParameters.Problem.badParameter(name, item, allowed);
            }
        }
        return chosen;
    }

    private static Set<String> accounts(Map<String, List<String>> parameters) {
        return new TreeSet<>(items(parameters, "account", "account names"));
    }

    private static Boolean flag(Map<String, List<String>> parameters, String name) {
        String value = QueryParameters.single(parameters, name);
        if (value == null) {
            return null;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true": return Boolean.TRUE;
            case "false": return Boolean.FALSE;
            default: throw QueryParameters.Problem.badParameter(name, value, "true or false");
        }
    }

    private static String text(Map<String, List<String>> parameters) {
        String text = QueryParameters.single(parameters, "q");
        if (text == null) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw QueryParameters.Problem.badParameter("q", text, "1 to " + MAX_TEXT + " characters");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static LockOrder order(Map<String, List<String>> parameters) {
        String value = QueryParameters.single(parameters, "sort");
        if (value == null) {
            return null;
        }
        return LockOrder.parse(value).orElseThrow(() -> QueryParameters.Problem.badParameter("sort", value, LockOrder.ALLOWED));
    }

    private static Integer limit(Map<String, List<String>> parameters) {
        String value = QueryParameters.single(parameters, "limit");
        if (value == null) {
            return null;
        }
        int limit = COUNT.matcher(value).matches() ? Integer.parseInt(value) : -1;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw QueryParameters.Problem.badParameter("limit", value, "an integer from 1 to " + MAX_LIMIT);
        }
        return limit;
    }
}
