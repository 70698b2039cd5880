package io.tributary.core.api;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of the cluster for operators and the web console: its members, where each partition's
 * replicas are and how far its log reaches, and the consumer groups with their lag. The futures complete once
 * the partition owners and group coordinators have answered; they fail with {@link ApiException}.
 */
public interface Admin {

    /** The cluster id, its controller and its members. */
    Future<ClusterOverview> cluster();

    /**
     * Every partition of a topic, in partition order; fails with {@link ApiException.Reason#UNKNOWN_TOPIC} when
     * there is no such topic.
     */
    Future<List<PartitionOverview>> partitions(String topic);

    /**
     * The effective configs of a topic (its overrides, else the broker's defaults), by Kafka's topic-level names;
     * empty when there is no such topic.
     */
    Optional<Map<String, String>> topicConfigs(String topic);

    /** Every consumer group, sorted by id. */
    Future<List<GroupOverview>> groups();

    /** A group's members, their assignments and its committed offsets with lag; empty when the group is unknown. */
    Future<Optional<GroupDetail>> group(String groupId);
}
