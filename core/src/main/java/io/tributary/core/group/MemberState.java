package io.tributary.core.group;

/** Where a consumer-protocol member is in reaching its target assignment (Kafka's MemberState). */
enum MemberState {
    /** The member has its target assignment at the group's assignment epoch. */
    STABLE,
    /** The member must first give up partitions (acknowledged by a heartbeat without them). */
    UNREVOKED_PARTITIONS,
    /** Some target partitions are still owned by other members that have not released them yet. */
    UNRELEASED_PARTITIONS
}
