package io.tributary.core.cluster;

import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicInfoJson;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataReconcilerTest {

    private static final Uuid ID = Uuid.randomUuid();

    private static PartitionState state(int leader, int leaderEpoch, List<Integer> isr, int partitionEpoch) {
        return new PartitionState(List.of(1, 2, 3), leader, leaderEpoch, isr, partitionEpoch);
    }

    private static TopicInfo topic(String name, PartitionState... states) {
        return new TopicInfo(name, ID, List.of(states), Map.of());
    }

    private static Map<String, String> published(TopicInfo... topics) {
        Map<String, String> map = new HashMap<>();
        for (TopicInfo topic : topics) {
            map.put(topic.name(), TopicInfoJson.encode(topic));
        }
        return map;
    }

    private static List<TopicInfo> changes(MetadataReconciler reconciler, Map<String, String> published,
                                           MetadataImage local) {
        MetadataReconciler.Missed missed = reconciler.pass(published, Set.of(), local);
        assertThat(missed.deletions()).isEmpty();
        return missed.changes();
    }

    @Test
    void aDecisionStillDifferingOnTheNextPassIsReportedAsMissed() {
        TopicInfo held = topic("orders", state(2, 0, List.of(1, 2, 3), 0));
        TopicInfo decided = topic("orders", state(3, 1, List.of(3, 1), 1));
        MetadataReconciler reconciler = new MetadataReconciler();

        assertThat(changes(reconciler, published(decided), MetadataImage.of(List.of(held)))).isEmpty();
        assertThat(changes(reconciler, published(decided), MetadataImage.of(List.of(held)))).containsExactly(decided);
    }

    @Test
    void aDecisionAppliedBetweenPassesIsNotReported() {
        TopicInfo held = topic("orders", state(2, 0, List.of(1, 2, 3), 0));
        TopicInfo decided = topic("orders", state(3, 1, List.of(3, 1), 1));
        MetadataReconciler reconciler = new MetadataReconciler();

        assertThat(changes(reconciler, published(decided), MetadataImage.of(List.of(held)))).isEmpty();
        // Its event arrived meanwhile.
        assertThat(changes(reconciler, published(decided), MetadataImage.of(List.of(decided)))).isEmpty();
        assertThat(changes(reconciler, published(decided), MetadataImage.of(List.of(decided)))).isEmpty();
    }

    @Test
    void aStateThatChangedBetweenPassesWaitsForAnotherPass() {
        TopicInfo held = topic("orders", state(2, 0, List.of(1, 2, 3), 0));
        TopicInfo first = topic("orders", state(3, 1, List.of(3, 1), 1));
        TopicInfo second = topic("orders", state(3, 1, List.of(3, 1, 2), 2));
        MetadataReconciler reconciler = new MetadataReconciler();

        assertThat(changes(reconciler, published(first), MetadataImage.of(List.of(held)))).isEmpty();
        assertThat(changes(reconciler, published(second), MetadataImage.of(List.of(held)))).isEmpty();
        assertThat(changes(reconciler, published(second), MetadataImage.of(List.of(held)))).containsExactly(second);
    }

    @Test
    void aTopicTheMemberLacksIsReportedToo() {
        TopicInfo created = topic("created", state(1, 0, List.of(1, 2, 3), 0));
        MetadataReconciler reconciler = new MetadataReconciler();

        changes(reconciler, published(created), MetadataImage.EMPTY);
        assertThat(changes(reconciler, published(created), MetadataImage.EMPTY)).containsExactly(created);
    }

    @Test
    void anOlderPublishedStateIsNeverApplied() {
        // The member holds a later state than the map (its disk copy, before the controller adopted it).
        TopicInfo held = topic("orders", state(3, 2, List.of(3), 5), state(1, 0, List.of(1, 2, 3), 0));
        TopicInfo stale = topic("orders", state(3, 2, List.of(3, 1), 4), state(1, 0, List.of(1, 2, 3), 0));
        MetadataReconciler reconciler = new MetadataReconciler();

        for (int pass = 0; pass < 3; pass++) {
            assertThat(changes(reconciler, published(stale), MetadataImage.of(List.of(held)))).isEmpty();
        }
        assertThat(MetadataReconciler.olderThan(stale, held)).isTrue();
        assertThat(MetadataReconciler.olderThan(held, stale)).isFalse();
    }

    @Test
    void aRecreatedTopicIsNotOlderWhateverItsEpochs() {
        TopicInfo held = topic("orders", state(3, 9, List.of(3), 30));
        TopicInfo recreated = new TopicInfo("orders", Uuid.randomUuid(), List.of(state(1, 0, List.of(1, 2, 3), 0)),
                Map.of());

        assertThat(MetadataReconciler.olderThan(recreated, held)).isFalse();
    }

    @Test
    void aDeletionStillMissingOnTheNextPassIsReported() {
        TopicInfo kept = topic("kept", state(1, 0, List.of(1, 2, 3), 0));
        TopicInfo doomed = new TopicInfo("doomed", Uuid.randomUuid(), List.of(state(1, 0, List.of(1, 2, 3), 0)),
                Map.of());
        MetadataImage local = MetadataImage.of(List.of(kept, doomed));
        MetadataReconciler reconciler = new MetadataReconciler();

        assertThat(reconciler.pass(published(kept), Set.of(doomed.id()), local).isEmpty()).isTrue();
        MetadataReconciler.Missed missed = reconciler.pass(published(kept), Set.of(doomed.id()), local);
        assertThat(missed.deletions()).containsExactly(doomed.id());
        assertThat(missed.changes()).isEmpty();
    }

    @Test
    void aTopicAbsentFromTheMapButNeverDeletedIsKept() {
        // Before the member reports its disk copy after a full restart, the map lacks its topics.
        TopicInfo local = topic("orders", state(1, 0, List.of(1, 2, 3), 0));
        MetadataReconciler reconciler = new MetadataReconciler();

        for (int pass = 0; pass < 3; pass++) {
            assertThat(reconciler.pass(Map.of(), Set.of(), MetadataImage.of(List.of(local))).isEmpty()).isTrue();
        }
    }

    @Test
    void unreadableEntriesAreSkipped() {
        MetadataReconciler reconciler = new MetadataReconciler();

        changes(reconciler, Map.of("broken", "{not json"), MetadataImage.EMPTY);
        assertThat(changes(reconciler, Map.of("broken", "{not json"), MetadataImage.EMPTY)).isEmpty();
    }
}
