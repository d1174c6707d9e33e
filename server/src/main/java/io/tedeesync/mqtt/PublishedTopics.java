package io.tedeesync.mqtt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the bridge published since the connection began: per topic, the lock it belongs to and a 64-bit digest of the
 * payload (the first 8 bytes of its SHA-256), not the payload itself, so that memory stays a few dozen bytes per topic
 * whatever the payloads. A collision (2^-64) would only skip one republish of a changed payload. Topic-indexed, so
 * that forgetting one failed publish is O(1), not a scan of every lock. Not thread-safe: the bridge's thread only.
 */
final class PublishedTopics {
    private record Sent(String serial, long digest) {
    }

    private final Map<String, Sent> byTopic = new HashMap<>();
    private final MessageDigest sha256;

    PublishedTopics() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Notes that the lock's topic carries this payload now; false when it carried it already (nothing to send). */
    boolean record(String serial, String topic, String payload) {
        Sent now = new Sent(serial, digest(payload));
        return !now.equals(byTopic.put(topic, now));
    }

    /** Forgets what the topic carried (its publish failed); the serial it belonged to, or null. */
    String forget(String topic) {
        Sent sent = byTopic.remove(topic);
        return sent == null ? null : sent.serial();
    }

    /** Forgets every topic of the lock. */
    void forgetLock(LockTopics topics) {
        topics.retained().forEach(byTopic::remove);
    }

    /** Forgets the topics of every lock not in {@code serials}. */
    void retainLocks(Set<String> serials) {
        byTopic.values().removeIf(sent -> !serials.contains(sent.serial()));
    }

    void clear() {
        byTopic.clear();
    }

    private long digest(String payload) {
        return ByteBuffer.wrap(sha256.digest(payload.getBytes(StandardCharsets.UTF_8))).getLong();
    }
}
