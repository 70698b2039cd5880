package io.tributary.core.group;

import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Committed offsets per group and partition, as replayed from and written to the offsets log. */
final class OffsetTable {

    private final Map<String, Map<TopicPartition, CommittedOffset>> byGroup = new HashMap<>();

    CommittedOffset get(String groupId, TopicPartition tp) {
        Map<TopicPartition, CommittedOffset> offsets = byGroup.get(groupId);
        return offsets == null ? null : offsets.get(tp);
    }

    /** The group's offsets; empty when it has none. */
    Map<TopicPartition, CommittedOffset> of(String groupId) {
        return byGroup.getOrDefault(groupId, Map.of());
    }

    boolean hasOffsets(String groupId) {
        return byGroup.containsKey(groupId);
    }

    void put(String groupId, TopicPartition tp, CommittedOffset offset) {
        byGroup.computeIfAbsent(groupId, g -> new HashMap<>()).put(tp, offset);
    }

    void remove(String groupId, TopicPartition tp) {
        Map<TopicPartition, CommittedOffset> offsets = byGroup.get(groupId);
        if (offsets != null) {
            offsets.remove(tp);
            if (offsets.isEmpty()) {
                byGroup.remove(groupId);
            }
        }
    }

    void removeGroup(String groupId) {
        byGroup.remove(groupId);
    }

    void clear() {
        byGroup.clear();
    }

    Set<String> groupIds() {
        return byGroup.keySet();
    }
}
