package io.tedeesync.benchmarks;

import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MergeResult;
import io.tedeesync.sync.Mirror;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.Observation;
import io.tedeesync.sync.SyncEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@link LockStore#onChanges} on the embedded SQLite store (WAL, {@code synchronous=NORMAL}, as
 * {@code serve} opens it): a transaction holding the changes of {@code webhooksPerBatch} webhooks, each
 * one {@code StateChanged} or {@code BatteryChanged} event plus the upsert of its lock. With 1 it is what
 * the service does per webhook today (the engine delivers one batch per webhook, and the store commits
 * each batch); with 32 it is what a store that committed the webhooks in flight together would do. Divide
 * the time per operation by {@code webhooksPerBatch} for the cost per webhook.
 *
 * <p>The batches come from a {@link WebhookStream} merged into a 1,000-lock mirror, so the events and
 * lock copies are the engine's own. The ring is written over and over; the store gives new ids each time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreWriteBenchmark {
    static final int LOCKS = 1_000;
    static final int WEBHOOKS = 1 << 14;

    @Param({"1", "32"})
    public int webhooksPerBatch;

    private Path dataDir;
    private LockStore store;
    private List<ChangeBatch> batches;
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Logs.quiet();
        dataDir = Files.createTempDirectory("store-write-benchmark-");
        store = LockStore.open(StoreConfig.sqlite(dataDir));
        Account account = Account.ofLocks(LOCKS);
        Mirror mirror = account.listedMirror();
        store.onChanges(new ChangeBatch(mirror.account(), Account.LISTED_AT, List.of(), mirror.locks(), Set.of()));
        WebhookStream stream = WebhookStream.generate(account, WEBHOOKS, new Random(WebhookMergeBenchmark.SEED));
        batches = new ArrayList<>();
        List<SyncEvent> events = new ArrayList<>();
        Map<String, MirroredLock> changed = new LinkedHashMap<>();
        for (int index = 0; index < stream.length(); index++) {
            MergeResult result = mirror.apply(new Observation.Webhook(stream.notification(index)), stream.receivedAt(index));
            if (result.events().size() != 1) {
                throw new IllegalStateException("webhook " + index + " gave " + result.events().size() + " events, not 1");
            }
            LockEvent event = (LockEvent) result.events().get(0);
            events.add(event);
            changed.put(event.serialNumber(), mirror.bySerial(event.serialNumber()).orElseThrow());
            if (events.size() == webhooksPerBatch) {
                batches.add(new ChangeBatch(mirror.account(), stream.receivedAt(index), events, List.copyOf(changed.values()), Set.of()));
                events.clear();
                changed.clear();
            }
        }
        next = 0;
    }

    @Benchmark
    public void writeBatch() {
        store.onChanges(batches.get(next));
        next = next + 1 == batches.size() ? 0 : next + 1;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
