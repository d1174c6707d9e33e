package io.tedeesync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link LockQuery}: each parameter read as documented, and each bad one refused with its name, value and what is allowed. */
class LockQueryTest {
    /** A query string's parameters as Javalin gives them: {@code "state", "LOCKED", "state", "PULLED"}. */
    private static Map<String, List<String>> params(String... pairs) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            params.computeIfAbsent(pairs[i], name -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return params;
    }

    @Test
    void noParameterIsTheWholeFleetUnpagedInTheDefaultOrder() {
        LockQuery query = LockQuery.parse(Map.of());

        assertThat(query.paged()).isFalse();
        assertThat(query.selects()).isFalse();
        assertThat(query.orderOrDefault()).isEqualTo(LockOrder.DEFAULT);
        assertThat(query.pageSize()).isEqualTo(100);
    }

    @Test
    void listsAreCommaSeparatedOrRepeatedAndNamesIgnoreCase() {
        LockQuery query = LockQuery.parse(params("state", "locked, Semi_Locked", "state", "PULLED", "doorState", "opened,closed",
                "account", "home,office", "account", "lab"));

        assertThat(query.states()).containsExactlyInAnyOrder(LockState.LOCKED, LockState.SEMI_LOCKED, LockState.PULLED);
        assertThat(query.doorStates()).containsExactlyInAnyOrder(DoorState.OPENED, DoorState.CLOSED);
        assertThat(query.accounts()).containsExactlyInAnyOrder("home", "office", "lab");
        assertThat(query.paged()).isFalse();
    }

    @Test
    void accountNamesKeepTheirCase() {
        assertThat(LockQuery.parse(params("account", "Home")).accounts()).containsExactly("Home");
    }

    @Test
    void scalarsAreRead() {
        LockQuery query = LockQuery.parse(params("connected", "TRUE", "stale", "false", "batteryBelow", "20", "q", "  Front Door ",
                "sort", "-LastChange", "limit", "1000", "cursor", "abc"));

        assertThat(query.connected()).isTrue();
        assertThat(query.stale()).isFalse();
        assertThat(query.batteryBelow()).isEqualTo(20);
        assertThat(query.text()).as("trimmed and lower-cased").isEqualTo("front door");
        assertThat(query.order()).isEqualTo(new LockOrder(LockOrder.Key.LAST_CHANGE, true));
        assertThat(query.limit()).isEqualTo(1000);
        assertThat(query.cursor()).isEqualTo("abc");
        assertThat(query.paged()).isTrue();
        assertThat(query.pageSize()).isEqualTo(1000);
    }

    @Test
    void aCursorAloneIsAPageOfTheDefaultSize() {
        LockQuery query = LockQuery.parse(params("cursor", "abc"));

        assertThat(query.paged()).isTrue();
        assertThat(query.pageSize()).isEqualTo(LockQuery.DEFAULT_LIMIT);
        assertThat(query.selects()).as("a cursor chooses no locks itself").isFalse();
    }

    @Test
    void theSelectionIsTheSameWhateverTheSpellingAndOrderOfTheValues() {
        LockQuery one = LockQuery.parse(params("state", "unlocked,locked", "account", "b,a", "q", "Door", "limit", "5"));
        LockQuery other = LockQuery.parse(params("state", "LOCKED", "state", "UNLOCKED", "account", "a,b", "q", "door", "cursor", "x"));
        LockQuery sorted = LockQuery.parse(params("state", "LOCKED,UNLOCKED", "account", "a,b", "q", "door", "sort", "name"));

        assertThat(one.equalSelection(other)).isTrue();
        assertThat(one.selection()).isEqualTo(other.selection());
        assertThat(one.equalSelection(sorted)).isFalse();
        assertThat(one.selects()).isTrue();
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of(params("state", "OPEN"), "state", "'OPEN'", "LOCKED"),
                Arguments.of(params("state", "LOCKED,,UNLOCKED"), "state", "no empty item", "LOCKED"),
                Arguments.of(params("state", ""), "state", "no empty item", "UNLOCKED"),
                Arguments.of(params("doorState", "AJAR"), "doorState", "'AJAR'", "OPENED"),
                Arguments.of(params("account", "home,"), "account", "no empty item", "account names"),
                Arguments.of(params("connected", "yes"), "connected", "'yes'", "true or false"),
                Arguments.of(params("connected", "true", "connected", "false"), "connected", "2 times", "once"),
                Arguments.of(params("stale", "1"), "stale", "'1'", "true or false"),
                Arguments.of(params("batteryBelow", "0"), "batteryBelow", "'0'", "1 to 100"),
                Arguments.of(params("batteryBelow", "101"), "batteryBelow", "'101'", "1 to 100"),
                Arguments.of(params("batteryBelow", "abc"), "batteryBelow", "'abc'", "an integer"),
                Arguments.of(params("batteryBelow", "1.5"), "batteryBelow", "'1.5'", "an integer"),
                Arguments.of(params("batteryBelow", "-5"), "batteryBelow", "'-5'", "an integer"),
                Arguments.of(params("batteryBelow", ""), "batteryBelow", "empty", "leave it out"),
                Arguments.of(params("state", "LOCKED,NOTHING"), "state", "'NOTHING'", "or NONE for a position not known now"),
                Arguments.of(params("q", "   "), "q", "empty", "leave it out"),
                Arguments.of(params("q", "x".repeat(101)), "q", "'" + "x".repeat(37) + "...'", "1 to 100 characters"),
                Arguments.of(params("sort", "size"), "sort", "'size'", "name, state, battery or lastChange"),
                Arguments.of(params("sort", "--name"), "sort", "'--name'", "name, state, battery or lastChange"),
                Arguments.of(params("sort", "+name"), "sort", "'+name'", "leading -"),
                Arguments.of(params("limit", "0"), "limit", "'0'", "1 to 1000"),
                Arguments.of(params("limit", "1001"), "limit", "'1001'", "1 to 1000"),
                Arguments.of(params("limit", "ten"), "limit", "'ten'", "an integer"),
                Arguments.of(params("cursor", "a", "cursor", "b"), "cursor", "2 times", "once"));
    }

    @ParameterizedTest
    @MethodSource("badParameters")
    void aBadParameterIsRefusedWithItsNameValueAndWhatIsAllowed(Map<String, List<String>> params, String name, String shown,
            String allowed) {
        assertThatThrownBy(() -> LockQuery.parse(params)).isInstanceOfSatisfying(QueryParameters.Problem.class, problem -> {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.code()).isEqualTo("bad_parameter");
            assertThat(problem.getMessage()).startsWith(name + " ").contains(shown).contains(allowed);
        });
    }

    @Test
    void aValueIsShownSanitisedAndShort() {
        assertThatThrownBy(() -> LockQuery.parse(params("state", "<script>alert(1)</script>-and-a-much-longer-tail")))
                .isInstanceOfSatisfying(QueryParameters.Problem.class, problem -> assertThat(problem.getMessage())
                        .contains("'?script?alert?1???script?-and-a-much-...'").doesNotContain("<", ">", "("));
        assertThat(QueryParameters.shown("a@b c/d")).isEqualTo("a?b?c?d");
        assertThat(QueryParameters.shown("x".repeat(80))).hasSize(40);
    }

    @Test
    void anUnknownParameterIsRefusedListingTheKnownOnes() {
        for (String unknown : List.of("foo", "Sort", "serialNumber")) {
            assertThatThrownBy(() -> LockQuery.parse(params("state", "LOCKED", unknown, "1")))
                    .isInstanceOfSatisfying(QueryParameters.Problem.class, problem -> {
                        assertThat(problem.status()).isEqualTo(400);
                        assertThat(problem.code()).isEqualTo("unknown_parameter");
                        assertThat(problem.getMessage()).contains("'" + unknown + "'")
                                .contains("state, account, connected, stale, batteryBelow, doorState, q, sort, limit, cursor");
                    });
        }
    }

    @Test
    void aParameterStartingWithAnUnderscoreIsACacheBusterAndIgnored() {
        LockQuery query = LockQuery.parse(params("_", "1733080000", "_ts", "x", "state", "LOCKED"));

        assertThat(query.states()).containsExactly(LockState.LOCKED);
        assertThat(query.equalSelection(LockQuery.parse(params("state", "LOCKED")))).isTrue();
        assertThat(LockQuery.parse(params("_", "1")).paged()).isFalse();
        QueryParameters.refuseUnknown(params("_", "1", "batteryBelow", "2"), List.of("batteryBelow"));
        assertThatThrownBy(() -> LockQuery.parse(params("x_", "1"))).isInstanceOf(QueryParameters.Problem.class);
    }

    @Test
    void stateNoneIsTheLocksWithoutAStateAndCombinesWithTheOthers() {
        LockFilter none = LockQuery.parse(params("state", "none")).filter();
        LockFilter noneOrLocked = LockQuery.parse(params("state", "NONE,LOCKED")).filter();

        assertThat(LockQuery.parse(params("state", "NONE")).noState()).isTrue();
        assertThat(LockQuery.parse(params("state", "NONE")).states()).isEmpty();
        assertThat(none.test(FleetRows.row("S-1", "Gate", null, 5))).isTrue();
        assertThat(none.test(FleetRows.row("S-2", "Gate", "UNKNOWN", 5))).as("Tedee's UNKNOWN is a state").isFalse();
        assertThat(none.test(FleetRows.row("S-3", "Gate", "LOCKED", 5))).isFalse();
        assertThat(noneOrLocked.test(FleetRows.row("S-4", "Gate", null, 5))).isTrue();
        assertThat(noneOrLocked.test(FleetRows.row("S-5", "Gate", "LOCKED", 5))).isTrue();
        assertThat(noneOrLocked.test(FleetRows.row("S-6", "Gate", "UNLOCKED", 5))).isFalse();
        assertThat(LockQuery.parse(params("state", "NONE")).equalSelection(LockQuery.ALL)).isFalse();
    }

    @Test
    void theSummarysPercentIsReadLikeBatteryBelow() {
        assertThat(QueryParameters.percent(params("batteryBelow", "35"), "batteryBelow")).isEqualTo(35);
        assertThat(QueryParameters.percent(params(), "batteryBelow")).isNull();
        assertThatThrownBy(() -> QueryParameters.percent(params("batteryBelow", "100.0"), "batteryBelow"))
                .isInstanceOf(QueryParameters.Problem.class).hasMessageContaining("batteryBelow");
        assertThatThrownBy(() -> QueryParameters.refuseUnknown(params("batteryBelow", "1", "state", "LOCKED"), List.of("batteryBelow")))
                .isInstanceOfSatisfying(QueryParameters.Problem.class, problem -> assertThat(problem.code()).isEqualTo("unknown_parameter"));
    }

    @Test
    void theFilterHoldsEveryConditionGiven() {
        LockFilter filter = LockQuery.parse(params("state", "UNLOCKED", "batteryBelow", "20", "q", "door")).filter();

        assertThat(filter.test(FleetRows.row("S-1", "Back door", "UNLOCKED", 19))).isTrue();
        assertThat(filter.test(FleetRows.row("S-2", "Back door", "UNLOCKED", 20))).as("20 is not below 20").isFalse();
        assertThat(filter.test(FleetRows.row("S-3", "Back door", "LOCKED", 5))).isFalse();
        assertThat(filter.test(FleetRows.row("S-4", "Gate", "UNLOCKED", 5))).isFalse();
        assertThat(filter.test(FleetRows.row("DOOR-5", "Gate", "UNLOCKED", 5))).as("the serial matches q too").isTrue();
        assertThat(filter.test(FleetRows.row("S-6", "Back door", "UNLOCKED", null))).as("no level is not low").isFalse();
        assertThat(LockQuery.parse(params("state", "UNKNOWN")).filter().test(FleetRows.row("S-7", "Gate", null, 5)))
                .as("an unknown position is in no state, not UNKNOWN").isFalse();
        assertThat(LockQuery.parse(params("stale", "true")).filter().test(FleetRows.stale(FleetRows.row("S-8", "Gate", "LOCKED", 5))))
                .isTrue();
        assertThat(LockQuery.parse(params("stale", "true")).filter().test(FleetRows.row("S-9", "Gate", "LOCKED", 5))).isFalse();
    }
}
