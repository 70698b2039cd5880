package io.tributary.core.cluster;

import io.tributary.core.replication.ReplicaManager;

/** The cluster as request handlers see it: who is alive, the controller to ask, and this broker's replicas. */
public record ClusterServices(Membership membership, ControllerClient controller, Controller controllerRole,
                              ReplicaManager replicas) {
}
