package io.tedeesync.store;

/**
 * The store could not do what was asked: the database is unreachable, the file is not a tedee-sync
 * database, a write was rolled back. The message says which database (never with its password) and
 * what to do where there is something to do. Immutable, so thread-safe.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
