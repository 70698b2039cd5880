package io.tributary.core.api;

/**
 * The broker as the gateways and connectors see it: records, topics, groups and the metrics registry, without
 * the Kafka protocol.
 * In a cluster these route to the partition's leader; callers do not care where it lives.
 */
public record BrokerApi(Records records, Topics topics, ConsumerGroups groups, Metrics metrics) {
}
