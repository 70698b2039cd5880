package io.tributary.core.api;

/**
 * A member of the cluster.
 *
 * @param host the host Kafka clients are told to connect to (its first advertised listener)
 * @param port that listener's port
 * @param rack its broker.rack, or null
 * @param self whether it is the member answering
 */
public record MemberInfo(int nodeId, String host, int port, String rack, boolean self) {
}
