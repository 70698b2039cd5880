package io.tributary.core.cluster;

import io.vertx.core.Future;

import java.util.Map;

/**
 * Which brokers are alive and which of them is the controller. A standalone broker is a cluster of one
 * ({@link SoloMembership}); clustered brokers learn it from Hazelcast ({@link HazelcastMembership}).
 */
public interface Membership {

    int localId();

    /** Live members, by node id; those still starting have announced no endpoints yet. Any thread. */
    Map<Integer, ClusterMember> members();

    /** The node id of the controller: the oldest live member. */
    int controllerId();

    default boolean isController() {
        return controllerId() == localId();
    }

    default boolean isAlive(int nodeId) {
        return members().containsKey(nodeId);
    }

    /** Announces this member's endpoints, once its listeners are bound. */
    Future<Void> announce(ClusterMember self);

    /** Calls {@code listener}, on any thread, after members join or leave or the controller changes. */
    void onChange(Runnable listener);

    /** True for a broker that is part of a multi-member cluster (even if alone right now). */
    boolean clustered();
}
