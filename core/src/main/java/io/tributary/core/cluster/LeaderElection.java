package io.tributary.core.cluster;

import io.tributary.core.metadata.PartitionState;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How the controller brings a partition's state in line with the live brokers: dead brokers leave the ISR
 * (except the last one, which keeps the partition's claim on its data), a dead or missing leader is replaced
 * by a live in-sync replica (the preferred order of the replica list), and only when the topic allows unclean
 * election by any live replica. Returns the same instance when nothing changes.
 */
final class LeaderElection {

    private LeaderElection() {
    }

    static PartitionState reconcile(PartitionState state, Set<Integer> live, boolean uncleanAllowed) {
        List<Integer> isr = new ArrayList<>();
        for (int id : state.isr()) {
            if (live.contains(id)) {
                isr.add(id);
            }
        }
        boolean leaderAlive = state.hasLeader() && live.contains(state.leader());
        if (leaderAlive) {
            return isr.equals(state.isr()) ? state : state.withIsr(isr);
        }
        for (int candidate : state.replicas()) {
            if (isr.contains(candidate)) {
                return state.withLeader(candidate, isr);
            }
        }
        if (uncleanAllowed) {
            for (int candidate : state.replicas()) {
                if (live.contains(candidate)) {
                    return state.withLeader(candidate, List.of(candidate));
                }
            }
        }
        // Offline: keep the last ISR so the broker with the freshest data is the one that may lead again.
        if (!state.hasLeader()) {
            return state;
        }
        return state.withLeader(PartitionState.NO_LEADER, state.isr().size() == 1 ? state.isr()
                : List.of(state.leader()));
    }

    /** The preferred leader (first replica) takes over if it is alive, in sync and not leading. */
    static PartitionState preferred(PartitionState state, Set<Integer> live) {
        int preferred = state.replicas().get(0);
        if (state.leader() == preferred || !live.contains(preferred) || !state.isr().contains(preferred)) {
            return state;
        }
        return state.withLeader(preferred, state.isr());
    }
}
