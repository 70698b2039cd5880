package io.tributary.core.cluster;

import io.tributary.core.metadata.TopicException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the replicas of new partitions go: round-robin over the live brokers, with consecutive brokers of the
 * list in different racks (so a partition's replicas span racks when racks are set), starting at a point that
 * depends on the topic so that the first replicas (preferred leaders) of many topics spread over the brokers.
 */
final class ReplicaPlacement {

    private ReplicaPlacement() {
    }

    static List<List<Integer>> assign(String topic, int firstPartition, int count, int replicationFactor,
                                      Collection<ClusterMember> live) {
        if (replicationFactor > live.size()) {
            throw new TopicException(TopicException.Reason.INVALID_REPLICATION_FACTOR, "Replication factor: "
                    + replicationFactor + " larger than available brokers: " + live.size() + ".");
        }
        List<Integer> brokers = rackAlternated(live);
        int n = brokers.size();
        int start = Math.floorMod(topic.hashCode(), n);
        List<List<Integer>> result = new ArrayList<>();
        for (int p = firstPartition; p < firstPartition + count; p++) {
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            for (int r = 0; r < replicationFactor; r++) {
                replicas.add(brokers.get((start + p + r) % n));
            }
            result.add(replicas);
        }
        return result;
    }

    /** Brokers ordered rack by rack in turn: r1-a, r2-a, r3-a, r1-b, ... (by id without racks). */
    static List<Integer> rackAlternated(Collection<ClusterMember> live) {
        Map<String, List<Integer>> byRack = new LinkedHashMap<>();
        live.stream().sorted(Comparator.comparingInt(ClusterMember::nodeId)).forEach(m ->
                byRack.computeIfAbsent(m.rack() == null ? "" : m.rack(), r -> new ArrayList<>()).add(m.nodeId()));
        List<Integer> ordered = new ArrayList<>();
        for (int i = 0; ordered.size() < live.size(); i++) {
            for (List<Integer> rack : byRack.values()) {
                if (i < rack.size()) {
                    ordered.add(rack.get(i));
                }
            }
        }
        return ordered;
    }
}
