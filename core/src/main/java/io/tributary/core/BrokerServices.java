package io.tributary.core;

import io.tributary.core.cluster.ClusterServices;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.metadata.TopicRegistry;
import io.tributary.core.metrics.BrokerMetrics;
import io.tributary.core.partition.PartitionRegistry;
import io.tributary.core.producer.ProducerIdAllocator;
import io.tributary.core.txn.TransactionCoordinator;
import io.vertx.core.Vertx;

import java.time.Clock;

/**
 * What request handlers work with: the broker's identity, topics, partitions, allocators, groups, transactions,
 * metrics and the cluster.
 */
public record BrokerServices(
        Vertx vertx,
        BrokerConfig config,
        String clusterId,
        TopicRegistry topics,
        PartitionRegistry partitions,
        ProducerIdAllocator producerIds,
        Clock clock,
        GroupCoordinator groups,
        TransactionCoordinator transactions,
        BrokerMetrics metrics,
        ClusterServices cluster) {

    public int nodeId() {
        return config.nodeId();
    }
}
