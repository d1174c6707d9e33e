package io.tedeesync.sync;

import java.util.function.Consumer;

/**
 * Told about every change, in order: batches of one account arrive in the order they were merged, and
 * no two batches of the engine are delivered at the same time. Called without any account's lock held,
 * on whichever engine or webhook thread delivers the queued batches. Must be fast; an exception is
 * logged and does not affect the engine or the other listeners. The one listener registered with
 * {@link SyncEngine.Builder#durableListener} is different: its exception means "not written", and the
 * batch is offered to it again until it takes it.
 */
@FunctionalInterface
public interface SyncListener {

    void onChanges(ChangeBatch batch);

    /**
     * Several batches at once, in order (the engine hands its durable listener everything queued, so a
     * store can write them in one transaction: group commit). All or nothing for a durable listener: an
     * exception means none of them is written, and they are offered again. By default one by one.
     */
    default void onBatches(java.util.List<ChangeBatch> batches) {
        batches.forEach(this::onChanges);
    }

    /** A listener for the events alone. */
    static SyncListener forEvents(Consumer<SyncEvent> consumer) {
        return batch -> batch.events().forEach(consumer);
    }
}
