package io.tributary.core.api;

import java.util.List;

/**
 * A consumer group in detail.
 *
 * @param type    the group protocol: {@code classic} or {@code consumer}
 * @param members sorted by member id
 * @param offsets one row per partition with a committed offset, sorted by topic and partition
 */
public record GroupDetail(String groupId, String type, String state, List<GroupMemberInfo> members,
                          List<GroupPartitionLag> offsets) {

    public GroupDetail {
        members = List.copyOf(members);
        offsets = List.copyOf(offsets);
    }

    /** Records between the committed offsets and the ends of their partitions, over all partitions. */
    public long totalLag() {
        return offsets.stream().mapToLong(o -> Math.max(0, o.lag())).sum();
    }
}
