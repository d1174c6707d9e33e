package io.tedeesync.outbound;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The {@link TargetPolicy} check made before each attempt, off the dispatcher's thread (resolving a host blocks, and
 * the JDK's resolver cannot be interrupted). Three rules keep a host that resolves slowly, or never, to its own
 * endpoint: at most one lookup in flight per endpoint (its other attempts wait for that one and share its verdict), a
 * pool of up to {@value #THREADS} threads, started as lookups need them and stopped when idle (so endpoints whose
 * hosts hang, each holding at most one, leave threads for the others), and each host's
 * verdict kept for {@link #VERDICT_TTL} (a burst of deliveries to one host is one lookup). The caller bounds the
 * wait (the attempt's deadline); a lookup it stopped waiting for still ends on its thread, and its verdict is kept.
 * Thread-safe.
 */
final class TargetChecks implements AutoCloseable {
    static final int THREADS = 64;
    static final Duration VERDICT_TTL = Duration.ofSeconds(10);
    /** Past this many hosts, the expired verdicts are dropped (one host per endpoint, normally). */
    private static final int MAX_VERDICTS = 1000;

    /** A host's verdict, good until {@code until} on the {@code nanoTime} clock. */
    private record Verdict(Optional<String> refusal, long until) {
    }

    /** The lookup an endpoint has in flight. */
    private record Lookup(String host, CompletableFuture<Optional<String>> verdict) {
    }

    private final TargetPolicy policy;
    private final LongSupplier nanoTime;
    private final ExecutorService threads;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    /** By endpoint id; guarded by {@code this}. */
    private final Map<String, Lookup> inFlight = new HashMap<>();

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}) for the verdicts' lifetime */
    TargetChecks(TargetPolicy policy, LongSupplier nanoTime) {
        this.policy = policy;
        this.nanoTime = nanoTime;
        AtomicInteger count = new AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(THREADS, THREADS, 30,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "tedee-sync-webhooks-dns-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
    }

    /**
     * Why an attempt of {@code endpointId} to {@code target} must not be made, if it must not; completes when the
     * verdict is known (at once when it is cached, or private targets are allowed). The future is the caller's own:
     * timing it out or cancelling it leaves the lookup to the other waiters.
     */
    CompletableFuture<Optional<String>> check(String endpointId, URI target) {
        if (policy.allowsPrivate()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String host = target.getHost().toLowerCase(java.util.Locale.ROOT);
        Verdict cached = verdicts.get(host);
        if (cached != null && nanoTime.getAsLong() - cached.until() < 0) {
            return CompletableFuture.completedFuture(cached.refusal());
        }
        synchronized (this) {
            Lookup running = inFlight.get(endpointId);
            if (running != null && running.host().equals(host)) {
                return running.verdict().copy();
            }
            // Another host (its URL changed): after the lookup in flight, so the endpoint still holds one thread at most.
            CompletableFuture<?> before = running == null ? CompletableFuture.completedFuture(null) : running.verdict();
            CompletableFuture<Optional<String>> verdict = before.handle((ignored, failure) -> null)
                    .thenApplyAsync(ignored -> policy.refusal(target), threads);
            Lookup lookup = new Lookup(host, verdict);
            inFlight.put(endpointId, lookup);
            verdict.whenComplete((refusal, failure) -> {
                if (refusal != null) {
                    long now = nanoTime.getAsLong();
                    if (verdicts.size() > MAX_VERDICTS) {
                        verdicts.values().removeIf(old -> now - old.until() >= 0);
                    }
                    verdicts.put(host, new Verdict(refusal, now + VERDICT_TTL.toNanos()));
                }
                synchronized (this) {
                    inFlight.remove(endpointId, lookup);
                }
            });
            return verdict.copy();
        }
    }

    /** Stops the lookups' threads; a check after it completes exceptionally. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
