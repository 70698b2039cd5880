package io.tributary.core.api;

import org.apache.kafka.common.TopicPartition;

import java.util.List;

/**
 * A member of a consumer group.
 *
 * @param host     the client's address as the coordinator saw it
 * @param assigned the partitions it owns, sorted (empty while a classic group rebalances)
 */
public record GroupMemberInfo(String memberId, String clientId, String host, List<TopicPartition> assigned) {

    public GroupMemberInfo {
        assigned = List.copyOf(assigned);
    }
}
