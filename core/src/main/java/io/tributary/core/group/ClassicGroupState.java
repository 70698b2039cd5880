package io.tributary.core.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a classic-protocol group, with the states each may be entered from, as in Kafka's
 * ClassicGroupState, so that an illegal transition fails loudly instead of corrupting a group.
 */
enum ClassicGroupState {
    /** No members; offsets may still exist. */
    EMPTY("Empty"),
    /** Members are (re)joining; JoinGroup responses are held until all have joined or the timeout. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** JoinGroup answered; waiting for the leader's assignment in SyncGroup. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its assignment. */
    STABLE("Stable"),
    /** The group was deleted. */
    DEAD("Dead");

    private final String displayName;
    private Set<ClassicGroupState> validPrevious;

    static {
        EMPTY.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        PREPARING_REBALANCE.validPrevious = EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
        COMPLETING_REBALANCE.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        STABLE.validPrevious = EnumSet.of(COMPLETING_REBALANCE);
        DEAD.validPrevious = EnumSet.allOf(ClassicGroupState.class);
    }

    ClassicGroupState(String displayName) {
        this.displayName = displayName;
    }

    boolean canFollow(ClassicGroupState previous) {
        return validPrevious.contains(previous);
    }

    /** The name Kafka reports in DescribeGroups and ListGroups. */
    String displayName() {
        return displayName;
    }
}
