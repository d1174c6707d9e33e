package io.tedeesync.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTest {

    @Test
    void demoHasRealisticLocksOnOneAccount() {
        try (TedeeSimulator demo = TedeeSimulator.demo(10, "demo-key", 42)) {
            List<SimLock> locks = demo.locks();

            assertThat(locks).hasSize(10);
            assertThat(locks).extracting(SimLock::name).startsWith("Front door", "Back door", "Garage", "Office")
                    .endsWith("Lock 10");
            assertThat(locks).allSatisfy(lock -> {
                assertThat(lock.serialNumber()).matches("2211\\d{2}-\\d{5}");
                assertThat(lock.batteryLevel()).isBetween(1, 100);
            });
            assertThat(locks).extracting(SimLock::serialNumber).doesNotHaveDuplicates();
            assertThat(locks).extracting(SimLock::stateCode).contains(2, 3, 6);
            assertThat(locks.stream().map(SimLock::batteryLevel).distinct().count()).isGreaterThan(5);
            assertThat(locks.get(0).doorStateCode()).isEqualTo(3);
            assertThat(locks.subList(1, 10)).allSatisfy(lock -> assertThat(lock.doorStateCode()).isZero());
        }
    }

    @Test
    void demoIsTheSameForTheSameSeedAndNotStarted() {
        try (TedeeSimulator one = TedeeSimulator.demo(4, "k", 7);
                TedeeSimulator same = TedeeSimulator.demo(4, "k", 7);
                TedeeSimulator other = TedeeSimulator.demo(4, "k", 8)) {
            assertThat(same.locks()).extracting(SimLock::serialNumber)
                    .isEqualTo(one.locks().stream().map(SimLock::serialNumber).toList());
            assertThat(other.locks()).extracting(SimLock::serialNumber)
                    .isNotEqualTo(one.locks().stream().map(SimLock::serialNumber).toList());
            assertThatThrownBy(one::port).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void demoKeyAuthenticatesOnceStarted() throws Exception {
        try (TedeeSimulator demo = TedeeSimulator.demo(3, "demo-key", 1).start(0)) {
            var client = java.net.http.HttpClient.newHttpClient();
            var response = client.send(java.net.http.HttpRequest.newBuilder(demo.baseUrl().resolve("/api/v37/my/lock"))
                            .header("Authorization", "PersonalKey demo-key").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Front door", "Back door", "Garage");
        }
    }
}
