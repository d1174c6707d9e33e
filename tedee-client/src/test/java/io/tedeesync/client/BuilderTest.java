package io.tedeesync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BuilderTest {

    @Test
    void defaultsPointAtTheRealCloud() {
        TedeeClient client = TedeeClient.builder().personalKey("k").build();

        assertThat(client.baseUrl()).hasToString("https://api.tedee.com");
        assertThat(client.apiVersion()).isEqualTo("v37");
    }

    @Test
    void badSettingsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> TedeeClient.builder().build()).hasMessageContaining("credentials");
        assertThatThrownBy(() -> TedeeClient.builder().personalKey("k").baseUrl("ftp://x").build()).hasMessageContaining("http");
        assertThatThrownBy(() -> TedeeClient.builder().personalKey("k").baseUrl("not a url").build()).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> TedeeClient.builder().personalKey("k").apiVersion("37").build()).hasMessageContaining("v37");
        assertThatThrownBy(() -> TedeeClient.builder().personalKey(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> TedeeClient.builder().pageSize(0)).hasMessageContaining("pageSize");
    }

    @Test
    void credentialsNeverShowTheirSecret() {
        assertThat(Credentials.personalKey("very-secret")).asString().doesNotContain("very-secret");
        assertThat(Credentials.bearerToken("jwt-secret")).asString().doesNotContain("jwt-secret");
    }

    @Test
    void unknownCodesMapToUnknownWithoutThrowing() {
        assertThat(LockState.fromCode(255)).isEqualTo(LockState.UNKNOWN);
        assertThat(LockState.fromCode(18)).isEqualTo(LockState.UPDATING);
        assertThat(DoorState.fromCode(-1)).isEqualTo(DoorState.UNKNOWN);
        assertThat(DoorState.fromCode(3)).isEqualTo(DoorState.CLOSED);
        assertThat(DeviceType.fromCode(4)).isEqualTo(DeviceType.LOCK_GO);
        assertThat(OperationStatus.fromText("completed")).isEqualTo(OperationStatus.COMPLETED);
        assertThat(OperationStatus.fromText(null)).isEqualTo(OperationStatus.UNKNOWN);
    }
}
