package io.tributary.core.group;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UniformAssignorTest {

    private final UniformAssignor assignor = new UniformAssignor();
    private final Uuid t1 = Uuid.randomUuid();
    private final Uuid t2 = Uuid.randomUuid();

    @Test
    void sameSubscriptionsAreBalancedWithinOne() {
        Map<String, Assignment> result = assignor.assign(Map.of("a", Set.of(t1), "b", Set.of(t1), "c", Set.of(t1)),
                Map.of(t1, 7), Map.of());
        assertThat(result.values()).allSatisfy(a -> assertThat(a.size()).isBetween(2, 3));
        assertCovers(result, 7);
    }

    @Test
    void aNewMemberTakesPartitionsWithoutMovingOthersNeedlessly() {
        Map<String, Assignment> before = assignor.assign(Map.of("a", Set.of(t1), "b", Set.of(t1)),
                Map.of(t1, 6), Map.of());
        Map<String, Assignment> after = assignor.assign(Map.of("a", Set.of(t1), "b", Set.of(t1), "c", Set.of(t1)),
                Map.of(t1, 6), before);
        assertCovers(after, 6);
        assertThat(before.get("a").containsAll(after.get("a"))).as("a only gave partitions up").isTrue();
        assertThat(before.get("b").containsAll(after.get("b"))).as("b only gave partitions up").isTrue();
        assertThat(after.get("c").size()).isEqualTo(2);
    }

    @Test
    void differentSubscriptionsOnlyGetTheirTopics() {
        Map<String, Assignment> result = assignor.assign(Map.of("a", Set.of(t1), "b", Set.of(t1, t2)),
                Map.of(t1, 2, t2, 2), Map.of());
        assertThat(result.get("a").topics()).containsOnly(t1);
        assertThat(result.get("b").partitions(t2)).containsExactly(0, 1);
        assertCovers(result, 4);
    }

    private static void assertCovers(Map<String, Assignment> result, int partitions) {
        Map<String, Integer> seen = new HashMap<>();
        result.values().forEach(a -> a.forEach((t, p) -> seen.merge(t + "-" + p, 1, Integer::sum)));
        assertThat(seen).hasSize(partitions);
        assertThat(seen.values()).containsOnly(1);
    }
}
