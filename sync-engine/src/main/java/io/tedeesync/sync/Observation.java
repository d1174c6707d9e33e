package io.tedeesync.sync;

import io.tedeesync.client.Lock;
import io.tedeesync.client.LockSync;
import io.tedeesync.client.webhook.WebhookNotification;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Something the engine learned from the API or a webhook, to be merged into a {@link Mirror}. */
public sealed interface Observation {

    /** A complete get-all: every lock of the account, all pages. */
    record LockList(List<Lock> locks) implements Observation {
        public LockList {
            locks = List.copyOf(locks);
        }
    }

    /**
     * A sync answer. {@code requested} is empty for a sync of all locks (then the answer is complete),
     * or the ids asked for ({@code ?id=} filter or sync single). {@code requestedAt} (engine time, may be
     * null) is when the call was sent: a webhook merged after it is newer than the answer's connection
     * and battery, which carry no time of their own.
     */
    record Sync(List<LockSync> locks, Set<Long> requested, Instant requestedAt) implements Observation {
        public Sync {
            locks = List.copyOf(locks);
            requested = Set.copyOf(requested);
        }

        public Sync(List<LockSync> locks, Set<Long> requested) {
            this(locks, requested, null);
        }

        public static Sync all(List<LockSync> locks) {
            return new Sync(locks, Set.of(), null);
        }

        public boolean complete() {
            return requested.isEmpty();
        }
    }

    /** One lock's details, fetched because its configuration revision rose. */
    record Details(Lock lock) implements Observation {
        public Details {
            Objects.requireNonNull(lock, "lock");
        }
    }

    /** A webhook routed to this account. */
    record Webhook(WebhookNotification notification) implements Observation {
        public Webhook {
            Objects.requireNonNull(notification, "notification");
        }
    }
}
