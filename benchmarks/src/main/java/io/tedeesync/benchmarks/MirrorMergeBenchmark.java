package io.tedeesync.benchmarks;

import io.tedeesync.client.LockSync;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MergeResult;
import io.tedeesync.sync.Mirror;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.Observation;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time to merge one sync-all answer of a 1,000-lock account into its {@link Mirror}, with 50 locks (5 %)
 * moved since the previous answer, so every call emits 50 {@code StateChanged} events and takes the
 * real path, not the "nothing changed" one.
 *
 * <ul>
 *   <li>{@link #mergeSyncAll()}: the merge alone, from answers parsed beforehand.
 *   <li>{@link #parseAndMergeSyncAll()}: the JSON body parsed by the real {@link TedeeClient} (envelope,
 *       wire DTOs, timestamps, domain records) and then merged. The body is served by
 *       {@link CannedHttpClient} through the client's public {@code httpClient(..)} setting, so no socket,
 *       server or HTTP framing is measured.
 * </ul>
 *
 * <p>The answers come from a ring of {@value #RING} (see {@link SyncAnswers}); when it wraps, the mirror
 * is restored to the listed copy with {@link Mirror#seed}, once per {@value #RING} calls, which is part
 * of the measured time but below its noise. Each benchmark thread has its own mirror.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MirrorMergeBenchmark {
    static final int LOCKS = 1_000;
    static final int CHANGED_PER_SYNC = 50;
    /** 128 bodies of ~190 kB each: enough to amortise the re-seed, small enough for a default heap. */
    static final int RING = 128;

    private SyncAnswers answers;
    private List<MirroredLock> listedCopy;
    private Mirror mirror;
    private CannedHttpClient http;
    private TedeeClient client;
    private int next;

    @Setup(Level.Trial)
    public void prepare() {
        Logs.quiet();
        Account account = Account.ofLocks(LOCKS);
        answers = SyncAnswers.generate(account, CHANGED_PER_SYNC, RING);
        mirror = account.listedMirror();
        listedCopy = mirror.locks();
        http = new CannedHttpClient();
        client = TedeeClient.builder()
                .baseUrl("http://tedee.invalid")
                .personalKey("benchmark")
                .httpClient(http)
                .build();
        requireEveryAnswerToBeARealChange();
        requireTheClientToParseEachBodyIntoItsAnswer();
        mirror.seed(listedCopy);
        next = 0;
    }

    @Benchmark
    public MergeResult mergeSyncAll() {
        int index = nextAnswer();
        return mirror.apply(Observation.Sync.all(answers.answer(index)), answers.observedAt(index));
    }

    @Benchmark
    public MergeResult parseAndMergeSyncAll() {
        int index = nextAnswer();
        http.answerWith(answers.body(index));
        List<LockSync> parsed = client.syncLocks();
        return mirror.apply(Observation.Sync.all(parsed), answers.observedAt(index));
    }

    private int nextAnswer() {
        if (next == answers.ringLength()) {
            // Answer 0 follows the listed account; replayed on a later state its positions would be stale.
            mirror.seed(listedCopy);
            next = 0;
        }
        return next++;
    }

    /** A benchmark that silently measured stale (ignored) answers would flatter the merge. */
    private void requireEveryAnswerToBeARealChange() {
        Mirror scratch = new Mirror(mirror.account());
        scratch.seed(listedCopy);
        for (int index = 0; index < answers.ringLength(); index++) {
            MergeResult result = scratch.apply(Observation.Sync.all(answers.answer(index)), answers.observedAt(index));
            long moved = result.events().stream().filter(LockEvent.StateChanged.class::isInstance).count();
            if (moved != CHANGED_PER_SYNC || result.events().size() != CHANGED_PER_SYNC || result.listRefreshNeeded()) {
                throw new IllegalStateException("answer " + index + " gave " + result.events().size() + " events, "
                        + moved + " state changes, listRefreshNeeded=" + result.listRefreshNeeded());
            }
        }
    }

    private void requireTheClientToParseEachBodyIntoItsAnswer() {
        for (int index = 0; index < answers.ringLength(); index++) {
            http.answerWith(answers.body(index));
            if (!client.syncLocks().equals(answers.answer(index))) {
                throw new IllegalStateException("the client read body " + index + " differently from its answer");
            }
        }
    }
}
