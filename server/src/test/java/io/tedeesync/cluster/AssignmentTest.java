package io.tedeesync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The plan every instance computes: even, the same whatever order it reads things in, and moving few accounts. */
class AssignmentTest {
    private static List<String> accounts(int count) {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            accounts.add("account-" + i);
        }
        return accounts;
    }

    private static Map<String, Integer> loads(Map<String, String> plan) {
        Map<String, Integer> loads = new HashMap<>();
        plan.values().forEach(instance -> loads.merge(instance, 1, Integer::sum));
        return loads;
    }

    @Test
    void everyAccountGoesToOneInstanceAndNoneGetsMoreThanItsEvenShare() {
        for (int count : new int[] {1, 2, 6, 7, 100, 3000}) {
            Map<String, String> plan = Assignment.plan(accounts(count), List.of("a/1", "b/2", "c/3"));
            assertThat(plan).hasSize(count);
            assertThat(loads(plan).values()).allMatch(load -> load <= (count + 2) / 3);
        }
        assertThat(loads(Assignment.plan(accounts(6), List.of("a/1", "b/2", "c/3"))).values()).containsOnly(2);
    }

    @Test
    void theOrderInstancesAndAccountsAreReadInDoesNotChangeThePlan() {
        List<String> accounts = accounts(500);
        Map<String, String> plan = Assignment.plan(accounts, List.of("a/1", "b/2", "c/3"));
        List<String> shuffled = new ArrayList<>(accounts);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(Assignment.plan(shuffled, List.of("c/3", "a/1", "b/2"))).isEqualTo(plan);
    }

    @Test
    void aJoinOrALeaveMovesLittleMoreThanTheAccountsThatMust() {
        List<String> accounts = accounts(3000);
        Map<String, String> three = Assignment.plan(accounts, List.of("a/1", "b/2", "c/3"));
        Map<String, String> four = Assignment.plan(accounts, List.of("a/1", "b/2", "c/3", "d/4"));
        long movedOnJoin = accounts.stream().filter(account -> !three.get(account).equals(four.get(account))).count();
        assertThat(movedOnJoin).isBetween(750L, 900L); // 750 must move to the new instance

        Map<String, String> two = Assignment.plan(accounts, List.of("a/1", "c/3"));
        long movedOnLeave = accounts.stream().filter(account -> !three.get(account).equals(two.get(account))).count();
        assertThat(movedOnLeave).isBetween(1000L, 1150L); // b's 1,000 must move
    }

    @Test
    void noInstanceNoPlan() {
        assertThat(Assignment.plan(accounts(3), List.of())).isEmpty();
    }
}
