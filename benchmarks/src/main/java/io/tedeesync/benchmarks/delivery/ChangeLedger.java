package io.tedeesync.benchmarks.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every change the rig made, and the matching of what arrived to them. An outbound webhook names its change
 * exactly: the event's {@code serialNumber} and {@code occurredAt} (the webhook's {@code eventTime}, unique per
 * lock). An MQTT state message names only the lock and a state: it is matched to the lock's oldest change not
 * yet seen on MQTT that reports this state, and the changes it passes over are <em>superseded</em> (the bridge
 * publishes a lock as it is then, so a state that was replaced before it looked is never sent: not a loss as
 * long as the lock's last state arrives). Thread-safe.
 */
final class ChangeLedger {
    private final int endpoints;
    private final int mqttSink;
    private final Map<String, Integer> lockBySerial;
    private final Map<Long, Change> byKey = new ConcurrentHashMap<>();
    private final List<List<Change>> byLock;
    private final int[] mqttCursor;
    private final int[] lastMqttState;
    private final LongAdder mqttSuperseded = new LongAdder();
    private final LongAdder mqttUnmatched = new LongAdder();
    private final LongAdder[] duplicates;
    private final LongAdder[] unmatched;

    ChangeLedger(List<String> serials, int endpoints) {
        this.endpoints = endpoints;
        this.mqttSink = endpoints;
        this.lockBySerial = new ConcurrentHashMap<>();
        this.byLock = new ArrayList<>(serials.size());
        for (int lock = 0; lock < serials.size(); lock++) {
            lockBySerial.put(serials.get(lock), lock);
            byLock.add(new ArrayList<>());
        }
        this.mqttCursor = new int[serials.size()];
        this.lastMqttState = new int[serials.size()];
        this.duplicates = adders(endpoints + 1);
        this.unmatched = adders(endpoints + 1);
    }

    int endpoints() {
        return endpoints;
    }

    int mqttSink() {
        return mqttSink;
    }

    int locks() {
        return byLock.size();
    }

    /** Called by the sender just before it posts the webhook, after the lock's previous change was answered. */
    Change sent(long sequence, int lock, int state, long eventMillis, boolean measured) {
        Change change = new Change(sequence, lock, state, eventMillis, System.nanoTime(), measured, endpoints + 1);
        List<Change> ofLock = byLock.get(lock);
        synchronized (ofLock) {
            ofLock.add(change);
        }
        byKey.put(key(lock, eventMillis), change);
        return change;
    }

    /** An outbound webhook arrived at endpoint {@code sink}: the change it is, or null (then counted as unmatched). */
    Change delivered(int sink, String serial, long occurredAtMillis, long nanos) {
        Integer lock = serial == null ? null : lockBySerial.get(serial);
        Change change = lock == null ? null : byKey.get(key(lock, occurredAtMillis));
        if (change == null) {
            unmatched[sink].increment();
            return null;
        }
        if (!change.arrived(sink, nanos)) {
            duplicates[sink].increment();
        }
        return change;
    }

    /** A {@code <prefix>/<serial>/state} message arrived with a payload such as {@code LOCKED}. */
    void published(String serial, String payload, long nanos) {
        Integer lock = lockBySerial.get(serial);
        int state = switch (payload) {
            case "LOCKED" -> 6;
            case "UNLOCKED" -> 2;
            default -> -1;
        };
        if (lock == null) {
            mqttUnmatched.increment();
            return;
        }
        List<Change> ofLock = byLock.get(lock);
        synchronized (ofLock) {
            lastMqttState[lock] = state;
            for (int index = mqttCursor[lock]; index < ofLock.size(); index++) {
                Change change = ofLock.get(index);
                if (change.state() == state) {
                    change.arrived(mqttSink, nanos);
                    mqttSuperseded.add(index - mqttCursor[lock]);
                    mqttCursor[lock] = index + 1;
                    return;
                }
            }
        }
        mqttUnmatched.increment(); // the retained state at subscription, or a state sent again
    }

    /** Every change made so far, by lock, each lock's in order. */
    List<Change> all() {
        List<Change> all = new ArrayList<>();
        for (List<Change> ofLock : byLock) {
            synchronized (ofLock) {
                all.addAll(ofLock);
            }
        }
        return all;
    }

    /** Deliveries still missing: for each change, the endpoints it has not reached, plus locks whose last state MQTT has not shown. */
    long missing() {
        long missing = 0;
        for (Change change : all()) {
            for (int sink = 0; sink < endpoints; sink++) {
                if (!change.reached(sink)) {
                    missing++;
                }
            }
        }
        return missing + mqttWrongFinalStates();
    }

    /** Locks whose last MQTT state is not the state of their last change (0 when MQTT shows every lock right). */
    int mqttWrongFinalStates() {
        int wrong = 0;
        for (int lock = 0; lock < byLock.size(); lock++) {
            List<Change> ofLock = byLock.get(lock);
            synchronized (ofLock) {
                if (!ofLock.isEmpty() && ofLock.get(ofLock.size() - 1).state() != lastMqttState[lock]) {
                    wrong++;
                }
            }
        }
        return wrong;
    }

    long duplicates(int sink) {
        return duplicates[sink].sum();
    }

    long unmatched(int sink) {
        return sink == mqttSink ? mqttUnmatched.sum() : unmatched[sink].sum();
    }

    long mqttSuperseded() {
        return mqttSuperseded.sum();
    }

    private static long key(int lock, long eventMillis) {
        return ((long) lock << 42) | eventMillis;
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int index = 0; index < count; index++) {
            adders[index] = new LongAdder();
        }
        return adders;
    }
}
