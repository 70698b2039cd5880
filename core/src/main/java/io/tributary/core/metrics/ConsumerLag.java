package io.tributary.core.metrics;

import io.tributary.core.api.GroupPartitionLag;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.group.GroupError;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A group's lag per partition: its committed offsets from the coordinator against each partition's high
 * watermark, read on the partition's owner. Shared by the lag metric and the admin view.
 */
public final class ConsumerLag {

    private static final Comparator<GroupPartitionLag> ORDER = Comparator
            .comparing((GroupPartitionLag l) -> l.partition().topic())
            .thenComparingInt(l -> l.partition().partition());

    private ConsumerLag() {
    }

    /**
     * One row per partition with a committed offset, sorted by topic and partition; empty when the coordinator
     * cannot answer for the group. Partitions this broker does not hold get logEnd and lag -1.
     */
    public static Future<List<GroupPartitionLag>> of(GroupCoordinator groups, PartitionRegistry partitions,
                                                      String groupId) {
        return groups.fetchOffsets(new FetchRequest(groupId, null, -1, null)).compose(result -> {
            if (result.error() != GroupError.NONE) {
                return Future.succeededFuture(List.of());
            }
            List<Future<GroupPartitionLag>> rows = new ArrayList<>();
            result.offsets().forEach((tp, committed) -> rows.add(row(partitions, tp, committed.offset())));
            return Future.all(rows).map(all -> {
                List<GroupPartitionLag> list = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    list.add(all.resultAt(i));
                }
                list.sort(ORDER);
                return list;
            });
        });
    }

    private static Future<GroupPartitionLag> row(PartitionRegistry partitions, TopicPartition tp, long committed) {
        Partition partition = partitions.get(tp);
        if (partition == null) {
            return Future.succeededFuture(new GroupPartitionLag(tp, committed, -1, -1));
        }
        return ContextHop.call(partition.owner(), partition::highWatermark)
                .map(end -> new GroupPartitionLag(tp, committed, end, Math.max(0, end - committed)));
    }
}
