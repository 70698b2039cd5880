package io.tributary.core.group;

import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects the latest state per key while a shard's log is replayed: later records replace earlier
 * ones, tombstones delete. Runs on a worker thread before the shard serves anything.
 */
final class ShardLoader implements CoordinatorRecords.Replay {

    final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new HashMap<>();
    final Map<String, Group> groups = new LinkedHashMap<>();
    long records;

    @Override
    public void offset(String groupId, TopicPartition tp, CommittedOffset offset) {
        records++;
        if (offset == null) {
            Map<TopicPartition, CommittedOffset> group = offsets.get(groupId);
            if (group != null) {
                group.remove(tp);
                if (group.isEmpty()) {
                    offsets.remove(groupId);
                }
            }
        } else {
            offsets.computeIfAbsent(groupId, g -> new HashMap<>()).put(tp, offset);
        }
    }

    @Override
    public void classicGroup(String groupId, ClassicGroup group) {
        records++;
        if (group != null) {
            groups.put(groupId, group);
        } else if (groups.get(groupId) instanceof ClassicGroup) {
            groups.remove(groupId);
        }
    }

    @Override
    public void consumerGroup(String groupId, ConsumerGroup group) {
        records++;
        if (group != null) {
            groups.put(groupId, group);
        } else if (groups.get(groupId) instanceof ConsumerGroup) {
            groups.remove(groupId);
        }
    }
}
