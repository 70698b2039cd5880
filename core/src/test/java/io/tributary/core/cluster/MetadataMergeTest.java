package io.tributary.core.cluster;

import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataMergeTest {

    private static final Uuid ID = Uuid.randomUuid();

    private static PartitionState state(int leader, int leaderEpoch, List<Integer> isr, int partitionEpoch) {
        return new PartitionState(List.of(1, 2, 3), leader, leaderEpoch, isr, partitionEpoch);
    }

    private static TopicInfo topic(Uuid id, PartitionState... states) {
        return new TopicInfo("orders", id, List.of(states), Map.of());
    }

    @Test
    void laterPartitionStateOfTheMemberThatStoppedLastWins() {
        // The first member up stopped first: it still has itself in the ISR. The last one knows it left.
        TopicInfo view = topic(ID, state(3, 4, List.of(3, 1, 2), 10), state(2, 2, List.of(2, 3), 7));
        TopicInfo reported = topic(ID, state(3, 4, List.of(3), 12), state(2, 2, List.of(2, 3), 7));

        TopicInfo merged = MetadataMerge.newer(view, reported);

        assertThat(merged.partition(0)).isEqualTo(state(3, 4, List.of(3), 12));
        assertThat(merged.partition(1)).isSameAs(view.partition(1));
    }

    @Test
    void olderOrEqualCopiesChangeNothing() {
        TopicInfo view = topic(ID, state(3, 4, List.of(3), 12));

        assertThat(MetadataMerge.newer(view, topic(ID, state(1, 3, List.of(1, 3), 9)))).isSameAs(view);
        assertThat(MetadataMerge.newer(view, view)).isSameAs(view);
    }

    @Test
    void aLeaderEpochTheControllerAlreadyUsedIsNotReused() {
        // The controller elected leader 1 at epoch 5 from a stale view; the member's later state has leader 3 at 5.
        PartitionState controllers = state(1, 5, List.of(1), 11);
        PartitionState members = state(3, 5, List.of(3), 13);

        PartitionState adopted = MetadataMerge.newer(controllers, members);

        assertThat(adopted.leader()).isEqualTo(3);
        assertThat(adopted.leaderEpoch()).isEqualTo(6);
        assertThat(adopted.partitionEpoch()).isEqualTo(13);
        // Same leader at the same epoch: one history, the epoch stays.
        assertThat(MetadataMerge.newer(state(3, 5, List.of(3, 1), 12), members).leaderEpoch()).isEqualTo(5);
        // A reported leader epoch below the controller's is raised above it.
        assertThat(MetadataMerge.newer(state(1, 7, List.of(1), 11), members).leaderEpoch()).isEqualTo(8);
    }

    @Test
    void partitionsTheViewLacksAreAddedAndAnotherTopicOfTheSameNameIsIgnored() {
        TopicInfo view = topic(ID, state(1, 0, List.of(1, 2, 3), 0));
        TopicInfo grown = topic(ID, state(1, 0, List.of(1, 2, 3), 0), state(2, 0, List.of(2, 3, 1), 0));

        assertThat(MetadataMerge.newer(view, grown).partitionCount()).isEqualTo(2);
        assertThat(MetadataMerge.newer(view, topic(Uuid.randomUuid(), state(2, 9, List.of(2), 30)))).isSameAs(view);
    }
}
