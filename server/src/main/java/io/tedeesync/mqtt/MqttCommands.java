package io.tedeesync.mqtt;

import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.OperationOutcome;
import io.tedeesync.sync.SyncEngine;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <prefix>/<serial>/set}: {@code LOCK}, {@code UNLOCK} or {@code OPEN} (a pull) operate the lock through
 * {@link SyncEngine#operate}, with its budget, reserve and state checks; the outcome goes to
 * {@code <prefix>/<serial>/operation}. Without {@code --mqtt-commands} every command is answered {@code REFUSED}.
 * A lock this instance's engine does not hold (another instance's account, or no such lock) is left alone: in a
 * cluster every instance hears every command and only the owner answers. Retained commands are ignored (a
 * command kept by the broker would run again at every reconnection). Called on the bridge's thread; the
 * engine's future completes elsewhere and its outcome is handed back to that thread. Not thread-safe.
 */
final class MqttCommands {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    /** Operations started from MQTT and not finished yet; past this, commands are refused (a flood never piles up work). */
    private static final int MAX_IN_FLIGHT = 64;

    private final SyncEngine engine;
    private final boolean enabled;
    private final Executor bridgeThread;
    /** Publishes an outcome (topic, JSON), on the bridge's thread. */
    private final BiConsumer<String, String> answer;
    private final AtomicInteger inFlight = new AtomicInteger();

    MqttCommands(SyncEngine engine, boolean enabled, Executor bridgeThread, BiConsumer<String, String> answer) {
        this.engine = engine;
        this.enabled = enabled;
        this.bridgeThread = bridgeThread;
        this.answer = answer;
    }

    /** A message on a command topic, for the lock of this serial number (null: not a lock this instance published). */
    void handle(LockTopics topics, String serialNumber, String payload, boolean retained) {
        if (serialNumber == null) {
            return;
        }
        Optional<MirroredLock> lock = engine.lock(serialNumber);
        if (lock.isEmpty()) {
            return; // another instance's lock now, or removed: its owner answers
        }
        String command = payload.trim().toUpperCase(Locale.ROOT);
        if (retained) {
            LOG.warn("MQTT: ignored a retained command on {} (publish commands without the retain flag)", topics.command());
            return;
        }
        if (!enabled) {
            reply(topics, command, "REFUSED", null, "commands over MQTT are off: start the service with --mqtt-commands");
            return;
        }
        OperationType type = switch (command) {
            case "LOCK" -> OperationType.LOCK;
            case "UNLOCK" -> OperationType.UNLOCK;
            case "OPEN" -> OperationType.PULL;
            default -> null;
        };
        if (type == null) {
            reply(topics, command, "REJECTED", null, "the command must be LOCK, UNLOCK or OPEN");
            return;
        }
        if (type == OperationType.PULL && !DiscoveryConfigs.canOpen(lock.get())) {
            reply(topics, command, "REJECTED", null, "this lock has no pull spring enabled");
            return;
        }
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            reply(topics, command, "REJECTED", null, "too many operations in flight from MQTT; try again");
            return;
        }
        LOG.info("MQTT: {} {} asked", command, serialNumber);
        engine.operate(serialNumber, type, UnlockMode.NORMAL).whenComplete((outcome, error) -> {
            inFlight.decrementAndGet();
            bridgeThread.execute(() -> {
                if (error != null) {
                    reply(topics, command, "FAILED", null, String.valueOf(error.getMessage()));
                } else {
                    reply(topics, command, outcome.status().name(), outcome, outcome.message());
                }
            });
        });
    }

    private void reply(LockTopics topics, String command, String status, OperationOutcome outcome, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", abbreviated(command));
        body.put("status", status);
        body.put("message", message);
        body.put("operationId", outcome == null ? null : outcome.operationId());
        body.put("state", outcome == null || outcome.lock() == null ? null : LockStatePayload.of(outcome.lock()).name());
        answer.accept(topics.operation(), LockMessages.json(body));
    }

    /** The command as echoed in every answer: never more than a short word of what was published. */
    private static String abbreviated(String command) {
        return command.length() <= 16 ? command : command.substring(0, 16) + "...";
    }
}
