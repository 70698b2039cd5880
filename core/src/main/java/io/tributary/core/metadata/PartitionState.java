package io.tributary.core.metadata;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one partition lives and who leads it, as the controller decided: the replicas (the first is the
 * preferred leader), the leader (-1 when no in-sync replica is alive), the in-sync replicas, and two epochs.
 * The leader epoch changes with every leader election and fences stale leaders; the partition epoch changes
 * with every change at all (ISR, replicas), so a leader's ISR update based on an old state is refused.
 * {@code targetReplicas} is set while a reassignment moves the partition: the replicas then are the old and the
 * new ones together, until every new one is in sync.
 */
public record PartitionState(List<Integer> replicas, int leader, int leaderEpoch, List<Integer> isr,
                             int partitionEpoch, List<Integer> targetReplicas) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        targetReplicas = targetReplicas == null ? null : List.copyOf(targetReplicas);
    }

    public PartitionState(List<Integer> replicas, int leader, int leaderEpoch, List<Integer> isr, int partitionEpoch) {
        this(replicas, leader, leaderEpoch, isr, partitionEpoch, null);
    }

    public boolean isReassigning() {
        return targetReplicas != null;
    }

    /** A partition hosted by one broker only (a standalone broker's partitions). */
    public static PartitionState single(int nodeId) {
        return new PartitionState(List.of(nodeId), nodeId, 0, List.of(nodeId), 0);
    }

    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    public boolean isReplica(int nodeId) {
        return replicas.contains(nodeId);
    }

    /** A new leader (or none): the leader epoch moves on. */
    public PartitionState withLeader(int newLeader, List<Integer> newIsr) {
        return new PartitionState(replicas, newLeader, leaderEpoch + 1, newIsr, partitionEpoch + 1, targetReplicas);
    }

    /** The same leader with another ISR. */
    public PartitionState withIsr(List<Integer> newIsr) {
        return new PartitionState(replicas, leader, leaderEpoch, newIsr, partitionEpoch + 1, targetReplicas);
    }

    /** The ISR without {@code nodeId} (kept when it is the last member, as Kafka does, so data is not orphaned). */
    public List<Integer> isrWithout(int nodeId) {
        if (!isr.contains(nodeId) || isr.size() == 1) {
            return isr;
        }
        List<Integer> smaller = new ArrayList<>(isr);
        smaller.remove(Integer.valueOf(nodeId));
        return smaller;
    }
}
