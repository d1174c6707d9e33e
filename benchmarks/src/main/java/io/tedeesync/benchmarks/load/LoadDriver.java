package io.tedeesync.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends webhooks from a {@link WebhookSource} through a {@link Transport} with a fixed number in flight:
 * {@code C} sender threads, each sending one webhook, waiting for its answer and then taking the next (a
 * closed loop), until the count is reached or the time limit passes. Each webhook's latency is taken
 * with {@link System#nanoTime()} around the transport call.
 *
 * <p>Why blocking threads and not {@code HttpClient.sendAsync}: on a 2-core machine the common
 * fork-join pool has a parallelism of 1, so {@code CompletableFuture}'s default executor starts a new
 * thread per task, and the JDK client completes every {@code sendAsync} future through that executor:
 * one thread started per webhook (seen with JFR: {@code CompletableFuture$ThreadPerTaskExecutor},
 * 35,000 thread starts for 35,000 webhooks), a load generator cost that would be charged to the
 * measurement. The blocking {@code send} does not go through it.
 *
 * <p>A webhook leaves only after the previous webhook of the same lock was answered (one gate per
 * lock), so the webhooks of a lock arrive in the order of their event times and none is "stale"; the
 * time spent waiting at a gate is not part of the latency. One instance per run; {@link #run} is called
 * by one thread at a time.
 */
final class LoadDriver {
    /**
     * What a phase did.
     *
     * @param sent           webhooks sent
     * @param answered       webhooks answered (any status)
     * @param acknowledged   2xx answers
     * @param rejected       answers that were not 2xx
     * @param failed         webhooks without an answer (I/O error, timeout, exception in the engine)
     * @param statuses       answers by HTTP status
     * @param outcomes       answers by the service's {@code outcome} (applied, stale, ...; "(none)" for an error answer)
     * @param firstFailure   the first failure's description, or null
     * @param latencyNanos   latency of every answered webhook (2xx or not)
     * @param windowNanos    from the first send to the last answer
     * @param ackedPerSecond 2xx answers by the second (since the first send) in which they arrived
     * @param senderCpuNanos CPU time of the sender threads (for HTTP: building requests and the blocking client
     *                       calls; in the engine mode, the whole service path)
     */
    record Phase(int sent, int answered, long acknowledged, long rejected, long failed, Map<Integer, Long> statuses,
            Map<String, Long> outcomes, String firstFailure, long[] latencyNanos, long windowNanos, long[] ackedPerSecond,
            long senderCpuNanos) {

        double acknowledgedPerSecond() {
            return windowNanos == 0 ? 0 : acknowledged * 1e9 / windowNanos;
        }

        double answeredPerSecond() {
            return windowNanos == 0 ? 0 : (answered - failed) * 1e9 / windowNanos;
        }
    }

    private final Transport transport;
    private final WebhookSource source;
    private final Semaphore[] lockGates;

    LoadDriver(Transport transport, WebhookSource source) {
        this.transport = transport;
        this.source = source;
        this.lockGates = new Semaphore[source.locks()];
        for (int lock = 0; lock < lockGates.length; lock++) {
            lockGates[lock] = new Semaphore(1);
        }
    }

    Phase run(int count, int concurrency, Duration timeLimit) throws InterruptedException {
        Recorder recorder = new Recorder(count, System.nanoTime(), timeLimit);
        Thread[] senders = new Thread[concurrency];
        for (int index = 0; index < concurrency; index++) {
            senders[index] = new Thread(() -> send(recorder), "load-sender-" + index);
            senders[index].setDaemon(true);
            senders[index].start();
        }
        for (Thread sender : senders) {
            sender.join(); // each sender stops at the deadline, after at most one request timeout
        }
        return recorder.summary();
    }

    private void send(Recorder recorder) {
        try {
            sendUntilDone(recorder);
        } finally {
            recorder.senderCpu.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
        }
    }

    private void sendUntilDone(Recorder recorder) {
        while (true) {
            WebhookSource.Webhook webhook;
            int index;
            Semaphore gate;
            synchronized (recorder) {
                if (recorder.taken == recorder.startedAt.length || System.nanoTime() - recorder.deadline > 0) {
                    return;
                }
                index = recorder.taken++;
                webhook = source.next();
                gate = lockGates[webhook.lock()];
                // Under the monitor, so the gates are passed in the order the webhooks were taken. Waiting here
                // (holding up the other senders) happens only when a lock's previous webhook, taken L webhooks
                // ago, is still unanswered.
                gate.acquireUninterruptibly();
            }
            try {
                recorder.startedAt[index] = System.nanoTime();
                Transport.Reply reply = transport.post(webhook.body());
                recorder.answered(index, reply);
                if (reply.status() / 100 == 2) {
                    source.acknowledged(webhook);
                }
            } catch (IOException | RuntimeException e) {
                recorder.failed(index, e);
            } catch (InterruptedException e) {
                recorder.failed(index, e);
                Thread.currentThread().interrupt();
                return;
            } finally {
                gate.release();
            }
        }
    }

    /** The per-request records of one phase; the arrays are read after the senders were joined. */
    private static final class Recorder {
        final long begin;
        final long deadline;
        final long[] startedAt;
        final long[] answeredAt;
        final int[] status; // 0: no answer
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        final LongAdder failed = new LongAdder();
        final LongAdder senderCpu = new LongAdder();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        int taken; // guarded by this

        Recorder(int count, long begin, Duration timeLimit) {
            this.begin = begin;
            this.deadline = begin + timeLimit.toNanos();
            this.startedAt = new long[count];
            this.answeredAt = new long[count];
            this.status = new int[count];
        }

        void answered(int index, Transport.Reply reply) {
            answeredAt[index] = System.nanoTime();
            status[index] = reply.status();
            statuses.computeIfAbsent(reply.status(), key -> new LongAdder()).increment();
            outcomes.computeIfAbsent(reply.outcome() == null ? "(none)" : reply.outcome(), key -> new LongAdder()).increment();
        }

        void failed(int index, Exception e) {
            answeredAt[index] = System.nanoTime();
            failed.increment();
            firstFailure.compareAndSet(null, e.toString());
        }

        Phase summary() {
            int sent;
            synchronized (this) {
                sent = taken;
            }
            long last = begin;
            int answered = 0;
            long acknowledged = 0;
            long[] latencies = new long[sent];
            for (int index = 0; index < sent; index++) {
                last = Math.max(last, answeredAt[index]);
                if (status[index] != 0) {
                    latencies[answered++] = answeredAt[index] - startedAt[index];
                }
                if (status[index] / 100 == 2) {
                    acknowledged++;
                }
            }
            long[] perSecond = new long[(int) ((last - begin) / 1_000_000_000L) + 1];
            for (int index = 0; index < sent; index++) {
                if (status[index] / 100 == 2) {
                    perSecond[(int) ((answeredAt[index] - begin) / 1_000_000_000L)]++;
                }
            }
            long rejected = statuses.entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(e -> e.getValue().sum()).sum();
            return new Phase(sent, answered, acknowledged, rejected, failed.sum(), sums(statuses), sums(outcomes),
                    firstFailure.get(), Arrays.copyOf(latencies, answered), last - begin, perSecond, senderCpu.sum());
        }
    }

    private static <K extends Comparable<K>> Map<K, Long> sums(Map<K, LongAdder> adders) {
        Map<K, Long> sums = new TreeMap<>();
        adders.forEach((key, adder) -> sums.put(key, adder.sum()));
        return sums;
    }
}
