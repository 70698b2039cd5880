package io.tributary.core.group;

/** A group a coordinator shard knows: a classic-protocol group or a consumer-protocol (KIP-848) group. */
sealed interface Group permits ClassicGroup, ConsumerGroup {

    String groupId();

    GroupType type();

    /** The state name Kafka reports (Stable, Empty, ...). */
    String stateName();

    boolean isEmpty();

    /** "consumer" for consumer groups; whatever the members declared for classic groups ("" when none). */
    String protocolType();

    /** Stops the group's timers and answers its parked requests; called on unload and deletion. */
    void shutdown(GroupError error);
}
