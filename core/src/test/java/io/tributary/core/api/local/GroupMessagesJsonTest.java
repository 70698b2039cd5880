package io.tributary.core.api.local;

import io.tributary.core.group.Assignment;
import io.tributary.core.group.CommittedOffset;
import io.tributary.core.group.ConsumerMessages.HeartbeatRequest;
import io.tributary.core.group.ConsumerMessages.HeartbeatResult;
import io.tributary.core.group.GroupError;
import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.tributary.core.group.OffsetMessages.FetchResult;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The group calls that travel between members come out as they went in. */
class GroupMessagesJsonTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders.eu-west", 0);
    private static final TopicPartition ORDERS_7 = new TopicPartition("orders.eu-west", 7);

    @Test
    void heartbeatsKeepTheirAssignmentsAndNulls() {
        Uuid topic = Uuid.randomUuid();
        Assignment owned = Assignment.of(Map.of(topic, List.of(3, 1, 2)));
        HeartbeatRequest request = new HeartbeatRequest("g", "m-1", 4, null, null, 30_000, List.of("orders"), null,
                "uniform", owned, true, "client", "/127.0.0.1");
        HeartbeatResult result = new HeartbeatResult(GroupError.NONE, null, "m-1", 5, 5_000,
                Assignment.of(Map.of(topic, List.of(1))));

        HeartbeatRequest decoded = roundTrip(request, HeartbeatRequest.class);
        assertThat(decoded).isEqualTo(request);
        assertThat(decoded.owned().partitions(topic)).containsExactly(1, 2, 3);
        assertThat(roundTrip(result, HeartbeatResult.class)).isEqualTo(result);
        HeartbeatResult unchanged = new HeartbeatResult(GroupError.FENCED_MEMBER_EPOCH, "fenced", "m-1", 0, 0, null);
        assertThat(roundTrip(unchanged, HeartbeatResult.class)).isEqualTo(unchanged);
    }

    @Test
    void offsetsKeyedByPartitionSurvive() {
        CommitRequest commit = new CommitRequest("g", 3, "m-1", null, true,
                Map.of(ORDERS_0, new CommittedOffset(42, -1, "", 1000), ORDERS_7, new CommittedOffset(7, 2, "x", 9)));
        CommitResult committed = new CommitResult(GroupError.NONE, Map.of(ORDERS_7, GroupError.UNKNOWN_TOPIC_OR_PARTITION));
        FetchRequest fetch = new FetchRequest("g", null, -1, List.of(ORDERS_0, ORDERS_7), true);
        FetchResult fetched = new FetchResult(GroupError.NONE, Map.of(ORDERS_0, new CommittedOffset(42, -1, "", 1000)),
                Set.of(ORDERS_7));

        assertThat(roundTrip(commit, CommitRequest.class)).isEqualTo(commit);
        assertThat(roundTrip(committed, CommitResult.class)).isEqualTo(committed);
        assertThat(roundTrip(fetch, FetchRequest.class)).isEqualTo(fetch);
        assertThat(roundTrip(fetched, FetchResult.class)).isEqualTo(fetched);
    }

    @Test
    void garbageIsRefusedWithItsType() {
        assertThatThrownBy(() -> GroupMessagesJson.decode("{\"groupId\":", FetchRequest.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FetchRequest");
    }

    private static <T> T roundTrip(T message, Class<T> type) {
        return GroupMessagesJson.decode(GroupMessagesJson.encode(message), type);
    }
}
