package io.tedeesync.benchmarks;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockSync;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A ring of sync-all answers for an {@link Account}, each as records and as the JSON body Tedee sends.
 * Answer {@code r} moves one slice of the locks (every {@code slices}-th lock; 50 of 1,000 is 5 %)
 * between locked and unlocked, with a {@code lastStateChangedDate} newer than any before it, so each
 * answer applied in order is a real change and never a stale one. The other locks repeat their last
 * reading, as a real sync does. Answers are cumulative: answer 0 follows the freshly listed account, so
 * a benchmark that wraps around the ring must first restore the listed copy. Immutable.
 */
final class SyncAnswers {
    private final List<List<LockSync>> answers;
    private final List<byte[]> bodies;
    private final List<Instant> observedAt;
    private final int changedPerAnswer;

    private SyncAnswers(List<List<LockSync>> answers, List<byte[]> bodies, List<Instant> observedAt, int changedPerAnswer) {
        this.answers = answers;
        this.bodies = bodies;
        this.observedAt = observedAt;
        this.changedPerAnswer = changedPerAnswer;
    }

    static SyncAnswers generate(Account account, int changedPerAnswer, int ringLength) {
        int lockCount = account.size();
        if (lockCount % changedPerAnswer != 0) {
            throw new IllegalArgumentException(changedPerAnswer + " does not divide " + lockCount + " locks into slices");
        }
        int slices = lockCount / changedPerAnswer;
        List<LockSync> current = new ArrayList<>(lockCount);
        for (Lock lock : account.locks()) {
            current.add(new LockSync(lock.id(), true, lock.deviceState(), lock.revision()));
        }
        List<List<LockSync>> answers = new ArrayList<>(ringLength);
        List<byte[]> bodies = new ArrayList<>(ringLength);
        List<Instant> observedAt = new ArrayList<>(ringLength);
        for (int answer = 0; answer < ringLength; answer++) {
            Instant movedAt = Account.LISTED_AT.plusSeconds(answer + 1L);
            for (int index = answer % slices; index < lockCount; index += slices) {
                LockSync before = current.get(index);
                DeviceState was = before.deviceState();
                int toggled = was.stateCode() == Account.LOCKED ? Account.UNLOCKED : Account.LOCKED;
                current.set(index, new LockSync(before.id(), true, new DeviceState(toggled, was.doorStateCode(),
                        was.batteryLevel(), was.charging(), 0, movedAt), before.revision()));
            }
            List<LockSync> snapshot = List.copyOf(current);
            answers.add(snapshot);
            bodies.add(body(snapshot));
            observedAt.add(movedAt.plus(Duration.ofMillis(400)));
        }
        return new SyncAnswers(List.copyOf(answers), List.copyOf(bodies), List.copyOf(observedAt), changedPerAnswer);
    }

    /**
     * The sync-all answer as Tedee sends it from API v1.35 on (docs: endpoints/lock/sync-all, datastructures
     * lock-sync and lock-state): the envelope, and per lock {@code id}, {@code isConnected}, {@code deviceState},
     * {@code revision}.
     */
    private static byte[] body(List<LockSync> locks) {
        StringBuilder json = new StringBuilder(locks.size() * 220).append("{\"result\":[");
        for (int index = 0; index < locks.size(); index++) {
            LockSync lock = locks.get(index);
            DeviceState state = lock.deviceState();
            if (index > 0) {
                json.append(',');
            }
            json.append("{\"id\":").append(lock.id())
                    .append(",\"isConnected\":").append(lock.connected())
                    .append(",\"deviceState\":{\"state\":").append(state.stateCode())
                    .append(",\"doorState\":").append(state.doorStateCode())
                    .append(",\"isCharging\":").append(state.charging())
                    .append(",\"batteryLevel\":").append(state.batteryLevel())
                    .append(",\"stateChangeResult\":").append(state.stateChangeResult())
                    .append(",\"lastStateChangedDate\":\"").append(Wire.time(state.lastStateChangedDate()))
                    .append("\"},\"revision\":").append(lock.revision()).append('}');
        }
        json.append("],\"success\":true,\"errorMessages\":[],\"statusCode\":200}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    int ringLength() {
        return answers.size();
    }

    int changedPerAnswer() {
        return changedPerAnswer;
    }

    List<LockSync> answer(int index) {
        return answers.get(index);
    }

    byte[] body(int index) {
        return bodies.get(index);
    }

    Instant observedAt(int index) {
        return observedAt.get(index);
    }
}
