package io.tributary.core.cluster;

import io.tributary.core.metadata.PartitionState;

import java.util.ArrayList;
import java.util.List;

/**
 * The partition states a reassignment goes through: first the old and the new replicas together, with the target
 * recorded (so a new controller carries on) while the new ones catch up as followers; then, once every new replica
 * is in sync, exactly the new replicas, led by one of them.
 */
final class Reassignments {

    private Reassignments() {
    }

    /** The first step towards {@code target}: the union of target and current (original) replicas. */
    static PartitionState start(PartitionState current, List<Integer> target) {
        List<Integer> base = current.isReassigning() ? original(current) : current.replicas();
        List<Integer> union = new ArrayList<>(target);
        for (int id : base) {
            if (!union.contains(id)) {
                union.add(id);
            }
        }
        return new PartitionState(union, current.leader(), current.leaderEpoch(), current.isr(),
                current.partitionEpoch() + 1, target);
    }

    /** The replicas a reassigning partition had before: those of the union that are not only in the target. */
    static List<Integer> original(PartitionState state) {
        List<Integer> original = new ArrayList<>();
        for (int id : state.replicas()) {
            if (!state.targetReplicas().contains(id)) {
                original.add(id);
            }
        }
        return original.isEmpty() ? state.targetReplicas() : original;
    }

    /** The partition on exactly {@code replicas}, led by one of them (a new leader epoch if the leader changes). */
    static PartitionState finish(PartitionState state, List<Integer> replicas) {
        List<Integer> isr = new ArrayList<>();
        for (int id : state.isr()) {
            if (replicas.contains(id)) {
                isr.add(id);
            }
        }
        if (replicas.contains(state.leader())) {
            return new PartitionState(replicas, state.leader(), state.leaderEpoch(), isr, state.partitionEpoch() + 1);
        }
        int leader = isr.isEmpty() ? PartitionState.NO_LEADER : isr.get(0);
        return new PartitionState(replicas, leader, state.leaderEpoch() + 1, isr, state.partitionEpoch() + 1);
    }
}
