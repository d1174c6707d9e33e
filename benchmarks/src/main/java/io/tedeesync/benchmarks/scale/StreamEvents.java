package io.tedeesync.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the rig does with each event of the service's stream: counts it by type, hands {@code Added} to
 * the {@link LoadTracker} and {@code StateChanged} to the first {@link Freshness} that waits for that
 * serial (the last one otherwise, which counts it as a stray). Called on the stream's thread; the counts
 * may be read by any.
 */
final class StreamEvents implements EventStream.Handler {
    private final LoadTracker load;
    private final List<Freshness> freshness;
    private final Map<String, LongAdder> byType = new ConcurrentHashMap<>();

    /** @param freshness the changes waited for; one with none in flight for a serial passes it on to the next */
    StreamEvents(LoadTracker load, Freshness... freshness) {
        this.load = load;
        this.freshness = List.of(freshness);
    }

    @Override
    public void onEvent(JsonNode event, long arrivalNanos) {
        String type = event.path("type").asText("?");
        byType.computeIfAbsent(type, key -> new LongAdder()).increment();
        if (type.equals("Added")) {
            load.added(event.path("serialNumber").asText(), arrivalNanos);
        } else if (type.equals("StateChanged")) {
            Instant observedAt = null;
            try {
                observedAt = Instant.parse(event.path("observedAt").asText());
            } catch (DateTimeParseException e) {
                // reported as an unknown split, the total still counts
            }
            String serial = event.path("serialNumber").asText();
            Freshness waiting = freshness.get(freshness.size() - 1);
            for (Freshness candidate : freshness) {
                if (candidate.inFlight(serial)) {
                    waiting = candidate;
                    break;
                }
            }
            waiting.onStateChanged(serial, event.path("toCode").asInt(-1), observedAt, arrivalNanos);
        }
    }

    /** Events seen so far by type, sorted by name. */
    Map<String, Long> types() {
        Map<String, Long> types = new TreeMap<>();
        byType.forEach((type, count) -> types.put(type, count.sum()));
        return types;
    }
}
