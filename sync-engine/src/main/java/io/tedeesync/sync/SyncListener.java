package io.tedeesync.sync;

import java.util.function.Consumer;

/**
 * Told about every change, in order: batches of one account arrive in the order they were merged, and
 * no two batches of the engine are delivered at the same time. Called without any engine lock held,
 * on the thread that made the change. Must be fast; an exception is logged and does not affect the
 * engine or the other listeners.
 */
@FunctionalInterface
public interface SyncListener {

    void onChanges(ChangeBatch batch);

    /** A listener for the events alone. */
    static SyncListener forEvents(Consumer<SyncEvent> consumer) {
        return batch -> batch.events().forEach(consumer);
    }
}
