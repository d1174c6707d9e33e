package io.tedeesync.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The webhooks of the load, as Tedee POSTs them (docs: webhooks/lock-status-changed): webhook number
 * {@code n} is for lock {@code n mod L}, and each lock alternates UNLOCKED (2), LOCKED (6), ... from the
 * LOCKED it starts in. Its {@code eventTime} is the wall clock in milliseconds, but always later than the
 * lock's previous one, so each webhook, applied in order, is a real change: exactly one
 * {@code StateChanged} event, never "stale" and never "nothing changed".
 *
 * <p>The sender must deliver them in order per lock ({@link LoadDriver} lets a webhook leave only after the
 * previous one of its lock was answered).
 *
 * <p>Also the ledger of what was acknowledged: per lock, the state of its last 2xx webhook, which the
 * store must show after the run.
 *
 * <p>{@link #next()} must be called by one thread at a time; {@link #acknowledged} and the ledger reads are thread-safe.
 */
public final class WebhookSource {
    public static final int UNLOCKED = 2;
    public static final int LOCKED = 6;
    private static final int LOCK_PRO = 2;
    private static final int NO_DOOR_SENSOR = 0;

    /** One webhook: its place in the stream, its lock (index), the state it reports, its {@code eventTime} (epoch ms) and the body. */
    public record Webhook(long sequence, int lock, int state, long eventMillis, byte[] body) {
    }

    private final long[] lockIds;
    private final String userIdentity;
    private final Clock clock;
    private final int[] nextState;
    private final long[] lastEventMillis;
    private final AtomicLongArray ackedSequence;
    private final AtomicIntegerArray ackedState;
    private long sequence;

    public WebhookSource(List<Long> lockIds, String userIdentity, Clock clock) {
        this.lockIds = lockIds.stream().mapToLong(Long::longValue).toArray();
        this.userIdentity = userIdentity;
        this.clock = clock;
        this.nextState = new int[this.lockIds.length];
        Arrays.fill(nextState, UNLOCKED);
        this.lastEventMillis = new long[this.lockIds.length];
        this.ackedSequence = new AtomicLongArray(this.lockIds.length);
        this.ackedState = new AtomicIntegerArray(this.lockIds.length);
    }

    public int locks() {
        return lockIds.length;
    }

    public Webhook next() {
        long number = sequence++;
        int lock = (int) (number % lockIds.length);
        int state = nextState[lock];
        nextState[lock] = state == UNLOCKED ? LOCKED : UNLOCKED;
        long now = clock.millis();
        long eventMillis = Math.max(now, lastEventMillis[lock] + 1);
        lastEventMillis[lock] = eventMillis;
        String time = Instant.ofEpochMilli(eventMillis).toString(); // sent the moment it happened
        String body = "{\"event\":\"lock-status-changed\",\"timestamp\":\"" + time
                + "\",\"userIdentity\":\"" + userIdentity + "\",\"data\":{\"deviceId\":" + lockIds[lock]
                + ",\"deviceType\":" + LOCK_PRO + ",\"doorState\":" + NO_DOOR_SENSOR
                + ",\"eventTime\":\"" + time + "\",\"state\":" + state + "}}";
        return new Webhook(number, lock, state, eventMillis, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Records a 2xx answer: the lock's state must now be this webhook's, unless a later one of it was acknowledged. */
    void acknowledged(Webhook webhook) {
        long mark = webhook.sequence() + 1;
        long previous;
        do {
            previous = ackedSequence.get(webhook.lock());
            if (previous >= mark) {
                return;
            }
        } while (!ackedSequence.compareAndSet(webhook.lock(), previous, mark));
        ackedState.set(webhook.lock(), webhook.state()); // answers of one lock never overlap: the sender gates them
    }

    /** The state the store must show for this lock: that of its last acknowledged webhook, or -1 if none was. */
    int lastAcknowledgedState(int lock) {
        return ackedSequence.get(lock) == 0 ? -1 : ackedState.get(lock);
    }
}
