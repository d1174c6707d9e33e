package io.tedeesync.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the bridge remembers of what it sent: only the last payload of each topic counts. */
class MqttPublishedTopicsTest {
    @Test
    void aPayloadIsSentAgainWhenItComesBackAfterAnotherButNotTwiceInARow() {
        PublishedTopics published = new PublishedTopics();

        assertThat(published.record("SN-1", "tedee-sync/SN-1/state", "LOCKED")).as("first").isTrue();
        assertThat(published.record("SN-1", "tedee-sync/SN-1/state", "LOCKED")).as("unchanged").isFalse();
        assertThat(published.record("SN-1", "tedee-sync/SN-1/state", "UNLOCKED")).as("changed").isTrue();
        assertThat(published.record("SN-1", "tedee-sync/SN-1/state", "LOCKED")).as("back to an earlier one").isTrue();
        assertThat(published.record("SN-2", "tedee-sync/SN-2/state", "LOCKED")).as("another topic").isTrue();

        published.clear();
        assertThat(published.record("SN-1", "tedee-sync/SN-1/state", "LOCKED")).as("after a new session").isTrue();
    }
}
