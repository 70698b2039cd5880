package io.tributary.core.api;

import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Set;

/**
 * One member of a consumer group, joined through {@link ConsumerGroups#join}. It heartbeats on its own on
 * the joining context until {@link #leave} is called; its assignment is balanced by the coordinator
 * against every other member, Kafka consumers included.
 */
public interface GroupMembership {

    String groupId();

    String memberId();

    /** The partitions this member owns now. */
    Set<TopicPartition> assignment();

    /** Changes the subscription to these topics; the assignment follows at the next heartbeat. */
    void subscribe(List<String> topics);

    /** Changes the subscription to the topics matching {@code topicRegex}; see {@link ConsumerGroups#joinMatching}. */
    void subscribeMatching(String topicRegex);

    /**
     * Commits positions for partitions this member owns (the offsets of the next records to read). Fails
     * with {@link ApiException.Reason#GROUP_ERROR} when the member no longer owns them.
     */
    Future<Void> commit(java.util.Map<TopicPartition, Long> offsets);

    /** Leaves the group; its partitions go to the remaining members. */
    Future<Void> leave();
}
