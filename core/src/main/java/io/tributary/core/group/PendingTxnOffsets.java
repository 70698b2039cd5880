package io.tributary.core.group;

import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;

/**
 * Offsets committed inside transactions (TxnOffsetCommit), per producer, held back until the transaction's
 * marker decides them: a commit makes them the group's offsets, an abort drops them. Owner context only.
 */
final class PendingTxnOffsets {

    /** producer id -> group id -> partition -> offset */
    private final Map<Long, Map<String, Map<TopicPartition, CommittedOffset>>> byProducer = new HashMap<>();

    void add(long producerId, String groupId, TopicPartition tp, CommittedOffset offset) {
        byProducer.computeIfAbsent(producerId, p -> new HashMap<>())
                .computeIfAbsent(groupId, g -> new HashMap<>())
                .put(tp, offset);
    }

    /** Takes the producer's pending offsets out; empty if it has none. */
    Map<String, Map<TopicPartition, CommittedOffset>> remove(long producerId) {
        Map<String, Map<TopicPartition, CommittedOffset>> pending = byProducer.remove(producerId);
        return pending == null ? Map.of() : pending;
    }

    /** Whether some open transaction holds an offset of {@code groupId} for {@code tp} (an unstable offset). */
    boolean hasPending(String groupId, TopicPartition tp) {
        for (Map<String, Map<TopicPartition, CommittedOffset>> groups : byProducer.values()) {
            Map<TopicPartition, CommittedOffset> offsets = groups.get(groupId);
            if (offsets != null && offsets.containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some open transaction holds an offset of {@code groupId}. */
    boolean hasPending(String groupId) {
        for (Map<String, Map<TopicPartition, CommittedOffset>> groups : byProducer.values()) {
            if (groups.containsKey(groupId)) {
                return true;
            }
        }
        return false;
    }

    void putAll(PendingTxnOffsets other) {
        other.byProducer.forEach((pid, groups) -> groups.forEach((g, offsets) ->
                offsets.forEach((tp, o) -> add(pid, g, tp, o))));
    }

    void clear() {
        byProducer.clear();
    }
}
