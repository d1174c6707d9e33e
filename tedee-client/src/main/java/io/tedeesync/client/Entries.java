package io.tedeesync.client;

import java.util.List;

/**
 * A list answer read element by element: the entries that could be read, and those that could not
 * ({@link UnreadableEntry}). One bad element no longer costs the whole answer; the caller decides what
 * an unreadable entry means (the sync engine keeps that lock's last known state).
 *
 * <p>Immutable: both lists are copies.
 *
 * @param readable   the entries read, in answer order
 * @param unreadable the entries skipped, in answer order
 * @param <T>        {@link Lock} or {@link LockSync}
 */
public record Entries<T>(List<T> readable, List<UnreadableEntry> unreadable) {

    public Entries {
        readable = List.copyOf(readable);
        unreadable = List.copyOf(unreadable);
    }

    /** Whether every element of the answer was read (no unreadable entry). */
    public boolean complete() {
        return unreadable.isEmpty();
    }
}
