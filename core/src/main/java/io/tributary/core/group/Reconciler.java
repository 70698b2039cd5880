package io.tributary.core.group;

/**
 * Moves one consumer-protocol member towards its target assignment, the way Kafka's
 * CurrentAssignmentBuilder does: partitions to give up are revoked first (the member keeps its
 * epoch until it confirms), and partitions still held by other members are only handed over once
 * they were released. A partition is therefore never owned by two members at once.
 */
final class Reconciler {

    private Reconciler() {
    }

    /**
     * @param owned what the member reported owning in this heartbeat, or null when it did not say
     */
    static void reconcile(ConsumerGroup group, ConsumerMember member, Assignment owned) {
        int targetEpoch = group.assignmentEpoch;
        switch (member.state) {
            case STABLE -> {
                if (member.memberEpoch != targetEpoch) {
                    computeNext(group, member, owned);
                }
            }
            case UNREVOKED_PARTITIONS -> {
                if (owned != null && !owned.overlaps(member.pendingRevocation)) {
                    computeNext(group, member, owned);
                }
            }
            case UNRELEASED_PARTITIONS -> computeNext(group, member, owned);
        }
    }

    private static void computeNext(ConsumerGroup group, ConsumerMember member, Assignment owned) {
        Assignment target = group.targetOf(member.memberId());
        Assignment current = member.assigned;
        Assignment keep = current.intersect(target);
        Assignment revoke = current.minus(target);
        Assignment.Builder next = new Assignment.Builder();
        keep.forEach(next::add);
        boolean unreleased = false;
        for (var topic : target.topics()) {
            for (int p : target.partitions(topic)) {
                if (current.contains(topic, p)) {
                    continue;
                }
                if (group.heldByOther(member.memberId(), topic, p)) {
                    unreleased = true;
                } else {
                    next.add(topic, p);
                }
            }
        }
        if (!revoke.isEmpty() && (owned == null || owned.overlaps(revoke))) {
            member.state = MemberState.UNREVOKED_PARTITIONS;
            member.assigned = keep;
            member.pendingRevocation = revoke;
            return;
        }
        member.pendingRevocation = Assignment.EMPTY;
        member.assigned = next.build();
        if (member.memberEpoch != group.assignmentEpoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = group.assignmentEpoch;
        }
        member.state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
    }
}
