package io.tedeesync.http;

import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The order of {@code GET /api/locks}: by a key ({@code sort=name|state|battery|lastChange}, a leading
 * {@code -} for descending), or the default (account, name whatever the case, serial number). A missing key
 * (no state now, no battery level, no last change) comes last in both directions; ties go by serial number,
 * then account (a lock shared between accounts), so the order is total and the same from request to request.
 * Immutable.
 *
 * @param key        null for the default order
 * @param descending the key reversed (not the missing ones, not the ties)
 */
record LockOrder(Key key, boolean descending) {
    static final LockOrder DEFAULT = new LockOrder(null, false);
    static final String ALLOWED = "name, state, battery or lastChange, with a leading - for descending";

    private static final Comparator<LockRow> TIES = Comparator.comparing((LockRow row) -> row.view().serialNumber())
            .thenComparing(LockRow::account);
    private static final Comparator<LockRow> DEFAULT_ORDER = Comparator.comparing(LockRow::account)
            .thenComparing(row -> row.view().name(), String.CASE_INSENSITIVE_ORDER)
            .thenComparing(TIES);

    /** What a lock can be sorted by, as {@code sort} names it. */
    enum Key {
        NAME("name"), STATE("state"), BATTERY("battery"), LAST_CHANGE("lastChange");

        private final String parameter;

        Key(String parameter) {
            this.parameter = parameter;
        }
    }

    LockOrder {
        if (key == null && descending) {
            throw new IllegalArgumentException("the default order has no direction");
        }
    }

    /** {@code sort}'s value, whatever its case; empty when it names no key. */
    static Optional<LockOrder> parse(String value) {
        boolean descending = value.startsWith("-");
        String name = descending ? value.substring(1) : value;
        for (Key key : Key.values()) {
            if (key.parameter.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(new LockOrder(key, descending));
            }
        }
        return Optional.empty();
    }

    Comparator<LockRow> comparator() {
        if (key == null) {
            return DEFAULT_ORDER;
        }
        Comparator<LockRow> byKey = switch (key) {
            case NAME -> Comparator.comparing(row -> row.view().name(), direction(String.CASE_INSENSITIVE_ORDER));
            case STATE -> missingLast(row -> row.view().state());
            case BATTERY -> missingLast(row -> row.view().batteryLevel());
            case LAST_CHANGE -> missingLast(row -> row.view().lastStateChangedDate());
        };
        return byKey.thenComparing(TIES);
    }

    private <T extends Comparable<? super T>> Comparator<LockRow> missingLast(Function<LockRow, T> value) {
        return Comparator.comparing(value, Comparator.nullsLast(direction(Comparator.<T>naturalOrder())));
    }

    private <T> Comparator<T> direction(Comparator<T> ascending) {
        return descending ? ascending.reversed() : ascending;
    }

    /** As {@code sort} would name it ({@code -battery}); empty for the default. */
    @Override
    public String toString() {
        return key == null ? "" : (descending ? "-" : "") + key.parameter;
    }
}
