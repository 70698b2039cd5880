package io.tributary.core.api;

import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Consumer groups for the gateways and connectors: membership and committed offsets. */
public interface ConsumerGroups {

    /**
     * Joins {@code groupId} as a member of the consumer group protocol subscribed to {@code topics}.
     * Must be called on a Vert.x context; heartbeats and listener calls run there. The first assignment may
     * reach the listener before the returned future completes, so track ownership from the listener's calls.
     */
    Future<GroupMembership> join(String groupId, String clientId, List<String> topics, AssignmentListener listener);

    /**
     * {@link #join}, subscribed to every topic whose name matches {@code topicRegex} (a Java regular expression
     * matched against the whole name), including topics created later, as a Kafka consumer's
     * {@code subscribe(Pattern)} does. Fails with {@link ApiException.Reason#INVALID_REQUEST} for a bad regex.
     */
    Future<GroupMembership> joinMatching(String groupId, String clientId, String topicRegex,
                                         AssignmentListener listener);

    /** The committed offsets of a group; partitions without one are absent. */
    Future<Map<TopicPartition, Long>> committed(String groupId, Collection<TopicPartition> partitions);

    /** Commits offsets for a group without membership (as a consumer using assign() does). */
    Future<Void> commit(String groupId, Map<TopicPartition, Long> offsets);
}
