package io.tedeesync.store;

/**
 * A page of the event log: the events with an id above {@code afterId}, ascending, at most
 * {@code limit}, optionally of one lock and/or one account. Immutable, so thread-safe.
 *
 * @param afterId      exclusive lower bound of the id (0 for the start of the log)
 * @param limit        page size, 1 to {@value #MAX_LIMIT}
 * @param serialNumber only the events of this lock, or null for all
 * @param account      only the events of this account, or null for all
 */
public record EventQuery(long afterId, int limit, String serialNumber, String account) {

    /** The largest page a query may ask for. */
    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        if (afterId < 0) {
            throw new IllegalArgumentException("afterId must be 0 or more, was " + afterId);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (serialNumber != null && serialNumber.isBlank()) {
            throw new IllegalArgumentException("serialNumber must not be blank (use null for all locks)");
        }
        if (account != null && account.isBlank()) {
            throw new IllegalArgumentException("account must not be blank (use null for all accounts)");
        }
    }

    /** All events after {@code afterId}, up to {@code limit}. */
    public static EventQuery after(long afterId, int limit) {
        return new EventQuery(afterId, limit, null, null);
    }

    /** The same page, of one lock only. */
    public EventQuery withSerialNumber(String serialNumber) {
        return new EventQuery(afterId, limit, serialNumber, account);
    }

    /** The same page, of one account only. */
    public EventQuery withAccount(String account) {
        return new EventQuery(afterId, limit, serialNumber, account);
    }
}
