package io.tributary.connect.runtime;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Rendezvous placement: one owner per unit, the same on every member, and little movement when workers change. */
class PlacementTest {

    private static final List<String> UNITS = IntStream.range(0, 300)
            .mapToObj(i -> Placement.taskUnit("connector-" + (i / 4), i % 4)).toList();

    @Test
    void everyUnitHasOneOwnerAmongTheWorkersWhateverTheirOrder() {
        for (String unit : UNITS) {
            int owner = Placement.owner(unit, List.of(1, 2, 3));
            assertThat(owner).isIn(1, 2, 3);
            assertThat(Placement.owner(unit, List.of(3, 1, 2))).isEqualTo(owner);
        }
        assertThat(Placement.owner("any", List.of())).isEqualTo(-1);
    }

    @Test
    void unitsSpreadOverTheWorkers() {
        Map<Integer, Integer> counts = new HashMap<>();
        UNITS.forEach(unit -> counts.merge(Placement.owner(unit, List.of(1, 2, 3)), 1, Integer::sum));
        assertThat(counts).hasSize(3);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isGreaterThan(UNITS.size() / 5));
    }

    @Test
    void aWorkerLeavingMovesOnlyItsUnitsAndOneJoiningTakesOnlyUnitsItNowOwns() {
        for (String unit : UNITS) {
            int before = Placement.owner(unit, List.of(1, 2, 3));
            int afterLeave = Placement.owner(unit, List.of(1, 3));
            if (before != 2) {
                assertThat(afterLeave).as(unit).isEqualTo(before);
            }
            int afterJoin = Placement.owner(unit, List.of(1, 2, 3, 4));
            assertThat(afterJoin).as(unit).isIn(before, 4);
        }
    }
}
