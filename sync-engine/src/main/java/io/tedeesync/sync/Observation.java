package io.tedeesync.sync;

import io.tedeesync.client.Lock;
import io.tedeesync.client.LockSync;
import io.tedeesync.client.UnreadableEntry;
import io.tedeesync.client.webhook.WebhookNotification;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Something the engine learned from the API or a webhook, to be merged into a {@link Mirror}. Every
 * answer of the API carries the engine time its request was sent ({@code requestedAt}; null: as of the
 * merge): what a lock reported after that time (a webhook merged while the answer was on its way) is
 * newer than the answer, and the answer does not undo it.
 */
public sealed interface Observation {

    /** When the request behind this observation was sent (engine time), or null: as of the merge. */
    Instant requestedAt();

    /**
     * A complete get-all: every lock of the account, all pages. {@code unreadable} are the elements the
     * client could not read: those locks are on the list, their last known state is kept.
     */
    record LockList(List<Lock> locks, List<UnreadableEntry> unreadable, Instant requestedAt) implements Observation {
        public LockList {
            locks = List.copyOf(locks);
            unreadable = List.copyOf(unreadable);
        }

        public LockList(List<Lock> locks, Instant requestedAt) {
            this(locks, List.of(), requestedAt);
        }

        public LockList(List<Lock> locks) {
            this(locks, List.of(), null);
        }
    }

    /**
     * A sync answer. {@code requested} is empty for a sync of all locks (then the answer is complete),
     * or the ids asked for ({@code ?id=} filter or sync single). {@code unreadable} are the elements the
     * client could not read: they count as answered, and their locks keep their last known state.
     */
    record Sync(List<LockSync> locks, Set<Long> requested, List<UnreadableEntry> unreadable, Instant requestedAt) implements Observation {
        public Sync {
            locks = List.copyOf(locks);
            requested = Set.copyOf(requested);
            unreadable = List.copyOf(unreadable);
        }

        public Sync(List<LockSync> locks, Set<Long> requested, Instant requestedAt) {
            this(locks, requested, List.of(), requestedAt);
        }

        public Sync(List<LockSync> locks, Set<Long> requested) {
            this(locks, requested, List.of(), null);
        }

        public static Sync all(List<LockSync> locks) {
            return new Sync(locks, Set.of(), List.of(), null);
        }

        public boolean complete() {
            return requested.isEmpty();
        }
    }

    /** One lock's details, fetched because its configuration revision rose. */
    record Details(Lock lock, Instant requestedAt) implements Observation {
        public Details {
            Objects.requireNonNull(lock, "lock");
        }

        public Details(Lock lock) {
            this(lock, null);
        }
    }

    /** A webhook routed to this account: news as of its merge. */
    record Webhook(WebhookNotification notification) implements Observation {
        public Webhook {
            Objects.requireNonNull(notification, "notification");
        }

        @Override
        public Instant requestedAt() {
            return null;
        }
    }
}
