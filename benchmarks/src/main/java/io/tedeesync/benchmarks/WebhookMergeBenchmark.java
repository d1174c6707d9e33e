package io.tedeesync.benchmarks;

import io.tedeesync.client.webhook.Webhooks;
import io.tedeesync.sync.MergeResult;
import io.tedeesync.sync.Mirror;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.Observation;
import java.util.List;
import java.util.Random;
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
 * Webhook observations merged per second into the {@link Mirror} of a 1,000-lock account: each call
 * applies the next webhook of a {@link WebhookStream} (lock-status and battery changes of random
 * locks, event times rising), and each one emits exactly one event.
 *
 * <ul>
 *   <li>{@link #mergeWebhook()}: the merge alone, from notifications parsed beforehand.
 *   <li>{@link #parseAndMergeWebhook()}: {@link Webhooks#parse} of the POSTed body, then the merge; what
 *       the receiving endpoint does per webhook, without HTTP.
 * </ul>
 *
 * <p>The stream is a ring of {@value #RING}; when it wraps the mirror is restored with
 * {@link Mirror#seed} (once per {@value #RING} calls, inside the measured time but far below its noise).
 * Each benchmark thread has its own mirror, as each account has in the engine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WebhookMergeBenchmark {
    static final int LOCKS = 1_000;
    static final int RING = 1 << 16;
    /** Fixed so that every run merges the same stream. */
    static final long SEED = 20_260_302L;

    private WebhookStream stream;
    private List<MirroredLock> listedCopy;
    private Mirror mirror;
    private int next;

    @Setup(Level.Trial)
    public void prepare() {
        Logs.quiet();
        Account account = Account.ofLocks(LOCKS);
        stream = WebhookStream.generate(account, RING, new Random(SEED));
        mirror = account.listedMirror();
        listedCopy = mirror.locks();
        requireEveryWebhookToBeARealChange();
        requireEachBodyToParseIntoItsNotification();
        mirror.seed(listedCopy);
        next = 0;
    }

    @Benchmark
    public MergeResult mergeWebhook() {
        int index = nextWebhook();
        return mirror.apply(new Observation.Webhook(stream.notification(index)), stream.receivedAt(index));
    }

    @Benchmark
    public MergeResult parseAndMergeWebhook() {
        int index = nextWebhook();
        return mirror.apply(new Observation.Webhook(Webhooks.parse(stream.body(index))), stream.receivedAt(index));
    }

    private int nextWebhook() {
        if (next == stream.length()) {
            // The stream's first webhooks follow the listed account; replayed later they would be stale.
            mirror.seed(listedCopy);
            next = 0;
        }
        return next++;
    }

    /** Ignored (stale) webhooks take a shorter path; measuring them would flatter the merge. */
    private void requireEveryWebhookToBeARealChange() {
        Mirror scratch = new Mirror(mirror.account());
        scratch.seed(listedCopy);
        for (int index = 0; index < stream.length(); index++) {
            MergeResult result = scratch.apply(new Observation.Webhook(stream.notification(index)), stream.receivedAt(index));
            if (result.ignored() || result.events().size() != 1) {
                throw new IllegalStateException("webhook " + index + " (" + stream.notification(index).event() + ") gave "
                        + result.events().size() + " events, ignored=" + result.ignored());
            }
        }
    }

    private void requireEachBodyToParseIntoItsNotification() {
        for (int index = 0; index < stream.length(); index++) {
            if (!Webhooks.parse(stream.body(index)).equals(stream.notification(index))) {
                throw new IllegalStateException("body " + index + " parses differently from its notification");
            }
        }
    }
}
