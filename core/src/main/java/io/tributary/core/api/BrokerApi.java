package io.tributary.core.api;

/**
 * The broker as the gateways and connectors see it: records, topics, groups, the metrics registry and a
 * read-only admin view of the cluster and a view of its live members, without the Kafka protocol.
 * In a cluster these route to the partition's leader; callers do not care where it lives.
 */
public record BrokerApi(Records records, Topics topics, ConsumerGroups groups, Metrics metrics,
                        Admin admin, ClusterView cluster) {
}
