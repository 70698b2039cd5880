package io.tributary.core.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The groups and committed offsets of one coordinator shard. Owner context only. */
final class ShardState {

    private final Map<String, Group> groups = new HashMap<>();
    final OffsetTable offsets = new OffsetTable();
    final PendingTxnOffsets pendingTxnOffsets = new PendingTxnOffsets();

    Group group(String groupId) {
        return groups.get(groupId);
    }

    ClassicGroup classic(String groupId) {
        return groups.get(groupId) instanceof ClassicGroup g ? g : null;
    }

    ConsumerGroup consumer(String groupId) {
        return groups.get(groupId) instanceof ConsumerGroup g ? g : null;
    }

    void put(Group group) {
        groups.put(group.groupId(), group);
    }

    void remove(String groupId) {
        groups.remove(groupId);
    }

    /** Forgets everything: the shard no longer serves these groups. */
    void clear() {
        groups.clear();
        offsets.clear();
        pendingTxnOffsets.clear();
    }

    Collection<Group> groups() {
        return groups.values();
    }
}
