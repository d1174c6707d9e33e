package io.tedeesync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rendezvous hashing of endpoints over the live instances. */
class OutboundPlacementTest {
    private static final List<String> ENDPOINTS = IntStream.range(0, 300).mapToObj(i -> "ep_" + i).toList();

    @Test
    void everyEndpointHasExactlyOneDelivererAmongTheInstances() {
        List<String> instances = List.of("a", "b", "c");
        Map<String, Integer> load = new HashMap<>();
        for (String endpoint : ENDPOINTS) {
            long deliverers = instances.stream()
                    .filter(self -> EndpointPlacement.rendezvous(() -> self, () -> instances).deliversHere(endpoint)).count();
            assertThat(deliverers).as(endpoint).isEqualTo(1);
            load.merge(EndpointPlacement.pick(endpoint, instances), 1, Integer::sum);
        }
        assertThat(load.values()).as("spread over all three").hasSize(3).allMatch(count -> count > 60);
    }

    @Test
    void whenAnInstanceLeavesOnlyItsEndpointsMove() {
        List<String> before = List.of("a", "b", "c");
        List<String> after = List.of("a", "c");
        int moved = 0;
        for (String endpoint : ENDPOINTS) {
            String was = EndpointPlacement.pick(endpoint, before);
            String is = EndpointPlacement.pick(endpoint, after);
            if (!was.equals("b")) {
                assertThat(is).as(endpoint).isEqualTo(was);
            } else {
                moved++;
            }
        }
        assertThat(moved).isPositive();
    }

    @Test
    void anInstanceDeliversNothingUntilItsViewListsItselfAndAloneDeliversEverything() {
        assertThat(ENDPOINTS).as("not joined yet: no heartbeat has listed anyone")
                .noneMatch(endpoint -> EndpointPlacement.rendezvous(() -> "unstarted", List::of).deliversHere(endpoint));
        assertThat(ENDPOINTS).as("joined, but the view lists only the others")
                .noneMatch(endpoint -> EndpointPlacement.rendezvous(() -> "a", () -> List.of("b")).deliversHere(endpoint));
        assertThat(ENDPOINTS).allMatch(endpoint -> EndpointPlacement.rendezvous(() -> "a", () -> List.of("a")).deliversHere(endpoint));
        assertThat(EndpointPlacement.alone().deliversHere("ep_1")).isTrue();
    }
}
