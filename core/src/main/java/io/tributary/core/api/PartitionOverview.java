package io.tributary.core.api;

import java.util.List;

/**
 * Where a partition's replicas are and what its log holds.
 *
 * @param leader         node id of the leader
 * @param replicas       node ids of every replica, the preferred leader first
 * @param isr            node ids of the in-sync replicas
 * @param logStartOffset first offset still in the log (-1 when the leader's log could not be read)
 * @param logEndOffset   the high watermark: the offset the next record consumers can see gets
 * @param sizeBytes      bytes of the log's segments on the leader (-1 when unknown)
 */
public record PartitionOverview(int partition, int leader, List<Integer> replicas, List<Integer> isr,
                                long logStartOffset, long logEndOffset, long sizeBytes) {

    public PartitionOverview {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
