package io.tributary.core.group;

import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects the latest state per key while a shard's log is replayed: later records replace earlier
 * ones, tombstones delete. Runs on a worker thread before the shard serves anything.
 */
final class ShardLoader implements CoordinatorRecords.Replay, BatchCodec.BatchVisitor {

    final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new HashMap<>();
    /** Transactional offsets whose marker has not been read (yet). */
    final PendingTxnOffsets pendingTxnOffsets = new PendingTxnOffsets();
    final Map<String, Group> groups = new LinkedHashMap<>();
    long records;

    @Override
    public void record(ByteBuffer key, ByteBuffer value, long producerId) {
        if (producerId < 0) {
            CoordinatorRecords.read(key, value, this);
            return;
        }
        records++;
        // Only offsets are written transactionally; they wait for their producer's marker.
        CoordinatorRecords.read(key, value, new CoordinatorRecords.Replay() {
            @Override
            public void offset(String groupId, TopicPartition tp, CommittedOffset offset) {
                if (offset != null) {
                    pendingTxnOffsets.add(producerId, groupId, tp, offset);
                }
            }

            @Override
            public void classicGroup(String groupId, ClassicGroup group) {
            }

            @Override
            public void consumerGroup(String groupId, ConsumerGroup group) {
            }
        });
    }

    @Override
    public void marker(long producerId, boolean commit) {
        Map<String, Map<TopicPartition, CommittedOffset>> decided = pendingTxnOffsets.remove(producerId);
        if (commit) {
            decided.forEach((groupId, offsets) -> offsets.forEach((tp, o) -> offset(groupId, tp, o)));
        }
    }

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
