package io.tedeesync.sync.internal;

import io.tedeesync.sync.MirroredLock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Locks someone asked to have synced (a caller of {@code requestSync}, a completed operation, a lock
 * back online), each with whoever waits for it. A request is answered by the first sync of that lock
 * sent at or after it was made (a sync-all covers every lock), or, when it allows it, by the lock's
 * webhook: after an operation, while webhooks flow, the webhook says what a sync would.
 *
 * <p>Waiters are told only after the merge's changes reached the listeners (the store among them), so
 * whoever waited reads a state that is already written: answering hands back the completions and the
 * worker runs them after delivery. Not thread-safe: guarded by its worker.
 */
final class SyncRequests {

    /** One lock's request: merged from every ask since the last sync that answered it. */
    static final class Request {
        final List<CompletableFuture<MirroredLock>> waiters = new ArrayList<>(1);
        /** A sync answers this request only if it was sent at or after this. */
        Instant askedAt;
        /** No sync for it before this (an operation waits for its webhook first). */
        Instant notBefore;
        /** Whether a webhook of the lock, received after {@link #askedAt}, answers it as well as a sync. */
        boolean webhookSuffices;

        Request(Instant askedAt, Instant notBefore, boolean webhookSuffices) {
            this.askedAt = askedAt;
            this.notBefore = notBefore;
            this.webhookSuffices = webhookSuffices;
        }
    }

    private final Map<String, Request> bySerial = new LinkedHashMap<>();

    /**
     * Asks for a sync of this lock, not before {@code notBefore}; joins a pending request for it (the
     * earlier {@code notBefore} wins, and a webhook then suffices only if it did for every ask).
     */
    CompletableFuture<MirroredLock> ask(String serialNumber, Instant now, Instant notBefore, boolean webhookSuffices) {
        CompletableFuture<MirroredLock> future = new CompletableFuture<>();
        Request request = bySerial.get(serialNumber);
        if (request == null) {
            request = new Request(now, notBefore, webhookSuffices);
            bySerial.put(serialNumber, request);
        } else {
            request.askedAt = request.askedAt.isAfter(now) ? request.askedAt : now;
            request.notBefore = request.notBefore.isBefore(notBefore) ? request.notBefore : notBefore;
            request.webhookSuffices &= webhookSuffices;
        }
        request.waiters.add(future);
        return future;
    }

    boolean isEmpty() {
        return bySerial.isEmpty();
    }

    Map<String, Request> pending() {
        return bySerial;
    }

    /** Answers every request a sync of all locks sent at {@code sentAt} covers. */
    List<Runnable> answeredBySyncAll(Instant sentAt, Function<String, MirroredLock> current) {
        List<Runnable> completions = new ArrayList<>();
        for (Iterator<Map.Entry<String, Request>> it = bySerial.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Request> entry = it.next();
            if (!entry.getValue().askedAt.isAfter(sentAt)) {
                it.remove();
                completions.addAll(complete(entry.getKey(), entry.getValue(), current.apply(entry.getKey())));
            }
        }
        return completions;
    }

    /** Answers the requests of these locks that a sync sent at {@code sentAt} covers. */
    List<Runnable> answeredBySync(List<String> serials, Instant sentAt, Function<String, MirroredLock> current) {
        List<Runnable> completions = new ArrayList<>();
        for (String serial : serials) {
            Request request = bySerial.get(serial);
            if (request != null && !request.askedAt.isAfter(sentAt)) {
                bySerial.remove(serial);
                completions.addAll(complete(serial, request, current.apply(serial)));
            }
        }
        return completions;
    }

    /** Answers this lock's request if a webhook suffices for it and came after it was made. */
    List<Runnable> answeredByWebhook(String serialNumber, Instant receivedAt, MirroredLock lock) {
        Request request = bySerial.get(serialNumber);
        if (request == null || !request.webhookSuffices || request.askedAt.isAfter(receivedAt)) {
            return List.of();
        }
        bySerial.remove(serialNumber);
        return complete(serialNumber, request, lock);
    }

    /** Fails the requests of locks {@code stillThere} no longer knows. */
    void dropGone(java.util.function.Predicate<String> stillThere, String why) {
        List<Map.Entry<String, Request>> gone = new ArrayList<>();
        for (Iterator<Map.Entry<String, Request>> it = bySerial.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Request> entry = it.next();
            if (!stillThere.test(entry.getKey())) {
                it.remove();
                gone.add(entry);
            }
        }
        // Told after the iteration: a waiter's callback may ask for another sync.
        for (Map.Entry<String, Request> entry : gone) {
            IllegalStateException failure = new IllegalStateException("lock " + entry.getKey() + " " + why);
            entry.getValue().waiters.forEach(future -> future.completeExceptionally(failure));
        }
    }

    /** Fails every request at once (the account failed, the engine stopped). */
    void failAll(String why) {
        IllegalStateException failure = new IllegalStateException(why);
        List<Request> all = List.copyOf(bySerial.values());
        bySerial.clear();
        for (Request request : all) {
            request.waiters.forEach(future -> future.completeExceptionally(failure));
        }
    }

    private static List<Runnable> complete(String serial, Request request, MirroredLock lock) {
        List<Runnable> completions = new ArrayList<>(request.waiters.size());
        for (CompletableFuture<MirroredLock> future : request.waiters) {
            completions.add(() -> {
                if (lock == null) {
                    future.completeExceptionally(new IllegalStateException("lock " + serial + " is no longer on the account"));
                } else {
                    future.complete(lock);
                }
            });
        }
        return completions;
    }
}
