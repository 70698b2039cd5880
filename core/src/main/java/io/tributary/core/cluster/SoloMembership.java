package io.tributary.core.cluster;

import io.vertx.core.Future;

import java.util.Map;

/** A standalone broker: the only member, its own controller, with no cluster machinery at all. */
public final class SoloMembership implements Membership {

    private final int nodeId;
    private volatile Map<Integer, ClusterMember> members;

    public SoloMembership(int nodeId, String rack) {
        this.nodeId = nodeId;
        this.members = Map.of(nodeId, new ClusterMember(nodeId, rack, java.util.List.of()));
    }

    @Override
    public int localId() {
        return nodeId;
    }

    @Override
    public Map<Integer, ClusterMember> members() {
        return members;
    }

    @Override
    public int controllerId() {
        return nodeId;
    }

    @Override
    public boolean isAlive(int id) {
        return id == nodeId;
    }

    @Override
    public Future<Void> announce(ClusterMember self) {
        members = Map.of(nodeId, self);
        return Future.succeededFuture();
    }

    @Override
    public void onChange(Runnable listener) {
        // membership never changes
    }

    @Override
    public boolean clustered() {
        return false;
    }
}
