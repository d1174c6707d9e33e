package io.tedeesync.http;

import static io.tedeesync.http.FleetRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.client.LockState;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FleetSummary}: the counts, per account and in total, and the JSON the route sends. */
class FleetSummaryTest {
    private static final List<LockRow> FLEET = List.of(
            row("office", "O-1", "Lobby", "LOCKED", 10, "OPENED", null),
            row("home", "H-1", "Front", "LOCKED", 19, "CLOSED", null),
            row("home", "H-2", "Back", "UNLOCKED", 20, "OPENED", null),
            row("home", "H-3", "Shed", null, null, null, null),
            FleetRows.stale(row("home", "H-4", "Gate", "UNKNOWN", 90, "NOT_PAIRED", null)));

    @Test
    void countsByTheFiltersDefinitions() {
        FleetSummary.Tally tally = FleetSummary.count(FLEET, 20);

        FleetSummary.Counts total = tally.total();
        assertThat(total.locks()).isEqualTo(5);
        assertThat(total.states()).containsOnlyKeys(Arrays.stream(LockState.values()).map(Enum::name).toList());
        assertThat(total.states()).containsEntry("LOCKED", 2).containsEntry("UNLOCKED", 1).containsEntry("UNKNOWN", 1)
                .containsEntry("PULLED", 0);
        assertThat(total.unknownPosition()).isEqualTo(1);
        assertThat(total.offline()).isEqualTo(1);
        assertThat(total.stale()).isEqualTo(1);
        assertThat(total.lowBattery()).as("10 and 19 are below 20; 20 is not").isEqualTo(2);
        assertThat(total.doorOpen()).isEqualTo(2);
        assertThat(tally.accounts()).extracting(FleetSummary.AccountCounts::account).containsExactly("home", "office");
        assertThat(tally.accounts().get(0).counts().locks()).isEqualTo(4);
        assertThat(tally.accounts().get(1).counts().lowBattery()).isEqualTo(1);
        assertThat(FleetSummary.count(FLEET, 21).total().lowBattery()).isEqualTo(3);
    }

    @Test
    void theSameLocksCountTheSame() {
        assertThat(FleetSummary.count(FLEET, 20)).isEqualTo(FleetSummary.count(List.copyOf(FLEET), 20));
        assertThat(FleetSummary.count(FLEET, 20)).isNotEqualTo(FleetSummary.count(FLEET.subList(1, 5), 20));
    }

    @Test
    void itsJsonHasTheDocumentedShape() throws Exception {
        JsonNode json = ApiJson.MAPPER.readTree(ApiJson.write(FleetSummary.count(FLEET, 20).at(Instant.parse("2026-12-01T19:00:00Z"))));

        assertThat(json.get("at").asText()).isEqualTo("2026-12-01T19:00:00Z");
        assertThat(json.get("lowBatteryBelow").asInt()).isEqualTo(20);
        assertThat(json.get("total").fieldNames()).toIterable()
                .containsExactly("locks", "states", "unknownPosition", "offline", "stale", "lowBattery", "doorOpen");
        assertThat(json.get("total").get("states").fieldNames()).toIterable().first().isEqualTo("UNCALIBRATED");
        JsonNode office = json.get("accounts").get(1);
        assertThat(office.fieldNames()).toIterable()
                .containsExactly("account", "locks", "states", "unknownPosition", "offline", "stale", "lowBattery", "doorOpen");
        assertThat(office.get("account").asText()).isEqualTo("office");
        assertThat(office.get("states").get("LOCKED").asInt()).isEqualTo(1);
    }
}
