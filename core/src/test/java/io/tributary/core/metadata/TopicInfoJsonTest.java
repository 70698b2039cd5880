package io.tributary.core.metadata;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicInfoJsonTest {

    @Test
    void aTopicSurvivesTheRoundTripWithEveryPartitionState() {
        TopicInfo topic = new TopicInfo("orders", Uuid.randomUuid(), List.of(
                new PartitionState(List.of(1, 2, 3), 1, 4, List.of(1, 3), 9),
                new PartitionState(List.of(4, 2, 3), 2, 1, List.of(2, 3), 5, List.of(4, 2)),
                new PartitionState(List.of(3), PartitionState.NO_LEADER, 7, List.of(3), 8)),
                Map.of("min.insync.replicas", "2"));

        TopicInfo decoded = TopicInfoJson.decode(TopicInfoJson.encode(topic));

        assertThat(decoded).isEqualTo(topic);
        assertThat(decoded.partition(1).isReassigning()).isTrue();
        assertThat(decoded.partition(0).isReassigning()).isFalse();
    }

    @Test
    void fieldsFromANewerVersionAreIgnoredAndGarbageIsRefused() {
        String json = TopicInfoJson.encode(TopicInfo.single("t", Uuid.randomUuid(), 1, Map.of(), 0))
                .replace("\"leader\":", "\"futureField\":1,\"leader\":");
        assertThat(TopicInfoJson.decode(json).partition(0).leader()).isEqualTo(0);
        for (String garbage : new String[] {"{not json", "null", "[]", "{\"name\":\"t\"}"}) {
            assertThatThrownBy(() -> TopicInfoJson.decode(garbage)).as(garbage)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Malformed topic metadata");
        }
    }
}
