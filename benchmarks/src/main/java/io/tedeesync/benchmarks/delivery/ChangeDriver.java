package io.tedeesync.benchmarks.delivery;

import io.tedeesync.benchmarks.load.Transport;
import io.tedeesync.benchmarks.load.WebhookSource;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes the changes: posts the {@link WebhookSource}'s webhooks to the service's {@code /webhooks/tedee/SECRET}
 * from {@code C} sender threads, each waiting for its answer. At a fixed rate webhook {@code n} of a phase leaves
 * at {@code start + n / rate} (or at once, if the senders are behind: how far behind is reported); at the max rate
 * as fast as the answers come. As in {@code LoadDriver}, a webhook leaves only after the previous one of its lock
 * was answered, so each lock's changes enter the mirror in order and each is a real change. Each change is noted
 * in the {@link ChangeLedger} just before its request is written. One phase at a time.
 */
final class ChangeDriver {
    /**
     * What a phase did.
     *
     * @param sent            webhooks posted
     * @param acknowledged    2xx answers with outcome {@code applied}
     * @param notApplied      other answers (by status and outcome) and failures
     * @param firstFailure    the first failure or odd answer, or null
     * @param nanos           from the phase's start to the last answer
     * @param maxBehindMillis at a fixed rate, how late the latest webhook left after its due time
     * @param answerNanos     sum of the answer times (for the mean)
     */
    record Phase(long sent, long acknowledged, Map<String, Long> notApplied, String firstFailure, long nanos, double maxBehindMillis,
            long answerNanos) {
        double perSecond() {
            return nanos == 0 ? 0 : sent * 1e9 / nanos;
        }
    }

    private final WebhookSource source;
    private final ChangeLedger ledger;
    private final Transport transport;
    private final int senders;
    private final double rate;
    private final Semaphore[] lockGates;

    ChangeDriver(WebhookSource source, ChangeLedger ledger, Transport transport, int senders, double rate) {
        this.source = source;
        this.ledger = ledger;
        this.transport = transport;
        this.senders = senders;
        this.rate = rate;
        this.lockGates = new Semaphore[source.locks()];
        for (int lock = 0; lock < lockGates.length; lock++) {
            lockGates[lock] = new Semaphore(1);
        }
    }

    Phase run(Duration length, boolean measured) throws InterruptedException {
        Run run = new Run(System.nanoTime(), length.toNanos(), measured);
        Thread[] threads = new Thread[senders];
        for (int index = 0; index < senders; index++) {
            threads[index] = new Thread(() -> send(run), "delivery-sender-" + index);
            threads[index].setDaemon(true);
            threads[index].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Map<String, Long> notApplied = new TreeMap<>();
        run.notApplied.forEach((what, count) -> notApplied.put(what, count.sum()));
        return new Phase(run.taken, run.acknowledged.sum(), notApplied, run.firstFailure.get(), run.lastAnswer.get() - run.begin,
                run.maxBehindNanos.get() / 1e6, run.answerNanos.sum());
    }

    private void send(Run run) {
        while (true) {
            WebhookSource.Webhook webhook;
            long due;
            Semaphore gate;
            synchronized (run) {
                long number = run.taken;
                due = rate > 0 ? run.begin + (long) (number * 1e9 / rate) : System.nanoTime();
                if (due - run.end >= 0 || System.nanoTime() - run.end >= 0) {
                    return;
                }
                run.taken++;
                webhook = source.next();
                gate = lockGates[webhook.lock()];
                gate.acquireUninterruptibly(); // under the monitor: the gates are passed in the order taken
            }
            try {
                long now = System.nanoTime();
                if (due - now > 0) {
                    LockSupport.parkNanos(due - now);
                } else {
                    run.maxBehindNanos.accumulate(now - due);
                }
                Change change = ledger.sent(webhook.sequence(), webhook.lock(), webhook.state(), webhook.eventMillis(), run.measured);
                Transport.Reply reply = transport.post(webhook.body());
                long answered = System.nanoTime();
                run.answerNanos.add(answered - change.sentNanos());
                run.lastAnswer.accumulate(answered);
                if (reply.status() / 100 == 2 && "applied".equals(reply.outcome())) {
                    run.acknowledged.increment();
                } else {
                    run.odd(reply.status() + " " + reply.outcome(), "answer " + reply.status() + " " + reply.outcome()
                            + " to webhook " + webhook.sequence());
                }
            } catch (IOException | RuntimeException e) {
                run.odd("failed", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                gate.release();
            }
        }
    }

    private static final class Run {
        final long begin;
        final long end;
        final boolean measured;
        final LongAdder acknowledged = new LongAdder();
        final LongAdder answerNanos = new LongAdder();
        final LongAccumulator lastAnswer;
        final LongAccumulator maxBehindNanos = new LongAccumulator(Math::max, 0);
        final Map<String, LongAdder> notApplied = new ConcurrentHashMap<>();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        long taken; // guarded by this

        Run(long begin, long length, boolean measured) {
            this.begin = begin;
            this.end = begin + length;
            this.measured = measured;
            this.lastAnswer = new LongAccumulator(Math::max, begin);
        }

        void odd(String kind, String description) {
            notApplied.computeIfAbsent(kind, key -> new LongAdder()).increment();
            firstFailure.compareAndSet(null, description);
        }
    }
}
