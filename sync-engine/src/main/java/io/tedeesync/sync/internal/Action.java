package io.tedeesync.sync.internal;

import java.time.Instant;
import java.util.List;

/** The next call an account makes, as decided by {@link AccountState#plan}. */
sealed interface Action {

    /** Get the whole lock list (all pages). */
    record GetAll() implements Action {
    }

    /** Sync every lock of the account. */
    record SyncAll() implements Action {
    }

    /** Sync the given locks: one call ({@code ?id=} for several, sync single for one). */
    record SyncSome(List<Long> ids) implements Action {
    }

    /** Fetch one lock's details after its revision rose. */
    record Details(long id) implements Action {
    }

    /** Send a queued operation. */
    record Send(PendingOperation operation) implements Action {
    }

    /** Ask whether a sent operation completed. */
    record Poll(PendingOperation operation) implements Action {
    }

    /** Nothing to do before this time. */
    record Wait(Instant until) implements Action {
    }
}
