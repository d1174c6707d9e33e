package io.tedeesync.http;

import static io.tedeesync.http.FleetRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LockOrder}: each key in both directions, missing values last either way, ties by serial then account. */
class LockOrderTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static final List<LockRow> FLEET = List.of(
            row("home", "S-3", "front door", "UNLOCKED", 50, null, T.plusSeconds(30)),
            row("home", "S-1", "Attic", "LOCKED", 50, null, T.plusSeconds(10)),
            row("office", "S-2", "Front Door", null, null, null, null),
            row("home", "S-5", "cellar", "SEMI_LOCKED", 5, null, T.plusSeconds(20)),
            row("home", "S-4", "Back", "LOCKED", null, null, T.plusSeconds(10)),
            row("office", "S-6", "Zoo", null, 80, null, null));

    private static List<String> sorted(String sort) {
        LockOrder order = LockOrder.parse(sort).orElseThrow();
        return FLEET.stream().sorted(order.comparator()).map(r -> r.view().serialNumber()).toList();
    }

    @Test
    void byNameWhateverTheCaseTiesBySerial() {
        assertThat(sorted("name")).containsExactly("S-1", "S-4", "S-5", "S-2", "S-3", "S-6");
        assertThat(sorted("-name")).as("reversed, the tie still by serial").containsExactly("S-6", "S-2", "S-3", "S-5", "S-4", "S-1");
    }

    @Test
    void byStateNameWithoutAStateLast() {
        assertThat(sorted("state")).containsExactly("S-1", "S-4", "S-5", "S-3", "S-2", "S-6");
        assertThat(sorted("-state")).containsExactly("S-3", "S-5", "S-1", "S-4", "S-2", "S-6");
    }

    @Test
    void byBatteryWithoutALevelLast() {
        assertThat(sorted("battery")).containsExactly("S-5", "S-1", "S-3", "S-6", "S-2", "S-4");
        assertThat(sorted("-battery")).containsExactly("S-6", "S-1", "S-3", "S-5", "S-2", "S-4");
    }

    @Test
    void byLastChangeWithoutOneLast() {
        assertThat(sorted("lastChange")).containsExactly("S-1", "S-4", "S-5", "S-3", "S-2", "S-6");
        assertThat(sorted("-lastChange")).containsExactly("S-3", "S-5", "S-1", "S-4", "S-2", "S-6");
    }

    @Test
    void theDefaultIsAccountThenNameThenSerial() {
        List<String> order = FLEET.stream().sorted(LockOrder.DEFAULT.comparator()).map(r -> r.view().serialNumber()).toList();

        assertThat(order).containsExactly("S-1", "S-4", "S-5", "S-3", "S-2", "S-6");
    }

    @Test
    void aLockSharedBetweenAccountsIsOrderedByAccountAfterItsSerial() {
        LockRow office = row("office", "S-9", "Shared", "LOCKED", 10, null, null);
        LockRow home = row("home", "S-9", "Shared", "LOCKED", 10, null, null);

        assertThat(List.of(office, home).stream().sorted(LockOrder.parse("-battery").orElseThrow().comparator()).map(LockRow::account))
                .containsExactly("home", "office");
    }

    @Test
    void theParameterIsReadWhateverItsCaseAndWrittenBack() {
        assertThat(LockOrder.parse("-LASTCHANGE")).contains(new LockOrder(LockOrder.Key.LAST_CHANGE, true));
        assertThat(LockOrder.parse("Battery").orElseThrow().toString()).isEqualTo("battery");
        assertThat(LockOrder.parse("-lastchange").orElseThrow().toString()).isEqualTo("-lastChange");
        assertThat(LockOrder.parse("-")).isEmpty();
        assertThat(LockOrder.parse("serial")).isEmpty();
    }
}
