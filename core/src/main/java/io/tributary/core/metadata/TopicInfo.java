package io.tributary.core.metadata;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the broker knows about one topic: its stable id, config overrides and the state of each partition
 * (replicas, leader, ISR, epochs). Immutable; a change produces a new instance in a new {@link MetadataImage}.
 */
public record TopicInfo(String name, Uuid id, List<PartitionState> partitions, Map<String, String> configs) {

    public TopicInfo {
        partitions = List.copyOf(partitions);
        configs = Map.copyOf(configs);
    }

    /** A topic whose partitions all live on one broker only. */
    public static TopicInfo single(String name, Uuid id, int partitionCount, Map<String, String> configs,
                                   int nodeId) {
        List<PartitionState> states = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            states.add(PartitionState.single(nodeId));
        }
        return new TopicInfo(name, id, states, configs);
    }

    public int partitionCount() {
        return partitions.size();
    }

    public PartitionState partition(int index) {
        return partitions.get(index);
    }

    public boolean isInternal() {
        return name.startsWith("__");
    }

    public TopicInfo withConfigs(Map<String, String> newConfigs) {
        return new TopicInfo(name, id, partitions, newConfigs);
    }

    public TopicInfo withPartition(int index, PartitionState state) {
        List<PartitionState> states = new ArrayList<>(partitions);
        states.set(index, state);
        return new TopicInfo(name, id, states, configs);
    }

    public TopicInfo withPartitions(List<PartitionState> states) {
        return new TopicInfo(name, id, states, configs);
    }
}
