package io.tedeesync.server;

import io.tedeesync.store.LockStore;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.SyncListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's durable listener: writes every batch to the store. A failed write is thrown back to the
 * engine, which keeps the batch (and those after it) and offers it again until it is written; so the
 * webhook route answers 2xx only for what is in the store, and the store catches up by itself.
 *
 * <p>Also says how the store is now, for {@code /health}: not writable while the last attempt failed
 * (the engine's retries clear that as soon as a write works again, even with nothing new to write);
 * otherwise healthy, unless nothing was written for a while and a probe does not answer. Thread-safe.
 */
final class StoreWriter implements SyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    /** Without a write for this long, a probe says whether the database still answers. */
    private static final Duration QUIET = Duration.ofMinutes(1);
    /** A probe's answer is reused for this long, so that a busy /health does not hammer the database. */
    private static final Duration PROBE_REUSE = Duration.ofSeconds(5);

    private final LockStore store;
    private final Clock clock;
    private volatile String lastFailure;
    private volatile Instant lastWrite;
    private volatile Probe lastProbe;

    private record Probe(Instant at, String failure) {
    }

    StoreWriter(LockStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.lastWrite = clock.instant();
    }

    @Override
    public void onChanges(ChangeBatch batch) {
        onBatches(List.of(batch));
    }

    /** Everything the engine had queued, in one transaction (group commit). */
    @Override
    public void onBatches(List<ChangeBatch> batches) {
        try {
            store.onBatches(batches);
        } catch (RuntimeException e) {
            if (lastFailure == null) {
                LOG.warn("could not write {} change batch(es) to the store: {}", batches.size(), e.getMessage());
            }
            lastFailure = e.getMessage();
            throw e;
        }
        lastWrite = clock.instant();
        if (lastFailure != null) {
            lastFailure = null;
            LOG.info("the store accepts writes again; what waited is written");
        }
    }

    /** Why the store does not work now; empty when it does. */
    Optional<String> trouble() {
        String failure = lastFailure;
        if (failure != null) {
            return Optional.of("writes fail (changes are kept and retried): " + failure);
        }
        Instant now = clock.instant();
        if (Duration.between(lastWrite, now).compareTo(QUIET) < 0) {
            return Optional.empty();
        }
        Probe probe = lastProbe;
        if (probe == null || Duration.between(probe.at(), now).compareTo(PROBE_REUSE) >= 0) {
            probe = new Probe(now, probe());
            lastProbe = probe;
        }
        return Optional.ofNullable(probe.failure());
    }

    private String probe() {
        try {
            store.probe();
            return null;
        } catch (RuntimeException e) {
            return "does not answer: " + e.getMessage();
        }
    }
}
