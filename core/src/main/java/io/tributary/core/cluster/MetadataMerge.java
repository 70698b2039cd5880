package io.tributary.core.cluster;

import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * How the controller reconciles its view of a topic with a copy a member reports from its own disk or memory.
 * Each copy only ever holds states a controller published, and every published change of a partition raises its
 * partition epoch, so per partition the copy with the higher partition epoch is the later one. A member that
 * stopped last holds the latest states after a full-cluster restart, whichever member came up first and seeded
 * the shared map.
 * <p>
 * When the controller already moved on from an older state (a new leader epoch decided on the stale view), the
 * adopted state gets a leader epoch above both, so every member accepts it as newer and no leader epoch is used
 * twice for different leaders.
 */
final class MetadataMerge {

    private MetadataMerge() {
    }

    /**
     * The view with every partition the reported copy knows a later state of, and the partitions it has beyond
     * the view's. Returns {@code view} itself when the copy adds nothing, or is another topic of the same name.
     */
    static TopicInfo newer(TopicInfo view, TopicInfo reported) {
        if (!view.id().equals(reported.id())) {
            return view;
        }
        List<PartitionState> states = new ArrayList<>(view.partitions());
        boolean changed = false;
        for (int p = 0; p < reported.partitionCount(); p++) {
            PartitionState theirs = reported.partition(p);
            if (p >= states.size()) {
                states.add(theirs);
                changed = true;
            } else {
                PartitionState adopted = newer(states.get(p), theirs);
                changed |= adopted != states.get(p);
                states.set(p, adopted);
            }
        }
        return changed ? view.withPartitions(states) : view;
    }

    /** {@code reported} if it is later than {@code current} (with a leader epoch above both), else {@code current}. */
    static PartitionState newer(PartitionState current, PartitionState reported) {
        if (reported.partitionEpoch() <= current.partitionEpoch()) {
            return current;
        }
        boolean sameHistory = reported.leaderEpoch() > current.leaderEpoch()
                || (reported.leaderEpoch() == current.leaderEpoch() && reported.leader() == current.leader());
        int leaderEpoch = sameHistory ? reported.leaderEpoch() : current.leaderEpoch() + 1;
        return new PartitionState(reported.replicas(), reported.leader(), leaderEpoch, reported.isr(),
                reported.partitionEpoch(), reported.targetReplicas());
    }
}
