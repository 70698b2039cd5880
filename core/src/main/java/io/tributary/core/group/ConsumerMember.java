package io.tributary.core.group;

import java.util.List;

/** One member of a consumer-protocol (KIP-848) group. Owner context only. */
final class ConsumerMember {

    /** Epoch of a static member that left temporarily (it keeps its assignment until its session expires). */
    static final int STATIC_LEFT_EPOCH = -2;

    private final String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    int memberEpoch;
    int previousMemberEpoch;
    MemberState state = MemberState.STABLE;
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    String serverAssignor;
    /** Partitions the member may own now. */
    Assignment assigned = Assignment.EMPTY;
    /** Partitions the member must give up before it gets more. */
    Assignment pendingRevocation = Assignment.EMPTY;
    /** What the member last reported owning; null when unknown (after a restart). */
    Assignment owned;
    long sessionTimer = -1;
    long revocationTimer = -1;

    ConsumerMember(String memberId) {
        this.memberId = memberId;
    }

    String memberId() {
        return memberId;
    }

    boolean hasLeftStatically() {
        return memberEpoch == STATIC_LEFT_EPOCH;
    }

    /** Partitions this member holds, as far as other members are concerned. */
    Assignment holding() {
        return assigned.union(pendingRevocation);
    }
}
