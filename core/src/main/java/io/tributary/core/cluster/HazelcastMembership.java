package io.tributary.core.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Membership from Hazelcast: the live members are Hazelcast's, each carrying its node id as a member attribute;
 * their Kafka endpoints come from a replicated map every member writes its own entry in. The oldest member
 * (Hazelcast's master) is the controller, so controllership moves by itself when that member dies.
 */
public final class HazelcastMembership implements Membership {

    static final String NODE_ID_ATTRIBUTE = "tributary.node.id";
    static final String RACK_ATTRIBUTE = "tributary.rack";
    static final String MEMBERS_MAP = "tributary.members";

    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private final int nodeId;
    private final IMap<Integer, String> announced;
    private final Map<Integer, ClusterMember> endpoints = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<Integer, ClusterMember> live = Map.of();
    private volatile int controllerId = -1;

    public HazelcastMembership(Vertx vertx, HazelcastInstance hazelcast, int nodeId) {
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.nodeId = nodeId;
        this.announced = hazelcast.getMap(MEMBERS_MAP);
        checkUniqueNodeId();
        announced.addEntryListener(new EndpointListener(), true);
        announced.forEach((id, json) -> endpoints.put(id, ClusterMember.fromJson(json)));
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                refresh();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                refresh();
            }
        });
        refresh();
    }

    private void checkUniqueNodeId() {
        Member self = hazelcast.getCluster().getLocalMember();
        for (Member m : hazelcast.getCluster().getMembers()) {
            if (!m.equals(self) && String.valueOf(nodeId).equals(m.getAttribute(NODE_ID_ATTRIBUTE))) {
                throw new IllegalStateException("node.id " + nodeId + " is already used by the cluster member at "
                        + m.getAddress() + "; every broker needs its own node.id");
            }
        }
    }

    /** Recomputes the live members and the controller from Hazelcast's member list (oldest first). */
    private synchronized void refresh() {
        Map<Integer, ClusterMember> next = new HashMap<>();
        int controller = -1;
        for (Member m : hazelcast.getCluster().getMembers()) {
            String id = m.getAttribute(NODE_ID_ATTRIBUTE);
            if (id == null) {
                continue;
            }
            int memberId = Integer.parseInt(id);
            if (controller < 0) {
                controller = memberId;
            }
            ClusterMember member = endpoints.get(memberId);
            next.put(memberId, member != null ? member
                    : new ClusterMember(memberId, m.getAttribute(RACK_ATTRIBUTE), List.of()));
        }
        boolean changed = !next.keySet().equals(live.keySet()) || controller != controllerId
                || !next.equals(live);
        live = Map.copyOf(next);
        controllerId = controller;
        if (changed) {
            listeners.forEach(Runnable::run);
        }
    }

    @Override
    public int localId() {
        return nodeId;
    }

    @Override
    public Map<Integer, ClusterMember> members() {
        return live;
    }

    @Override
    public int controllerId() {
        return controllerId;
    }

    /** After a split heals the merged map may have lost this member's entry: write it again. */
    void reannounce() {
        ClusterMember self = endpoints.get(nodeId);
        if (self != null) {
            announce(self);
        }
        refresh();
    }

    @Override
    public Future<Void> announce(ClusterMember self) {
        return vertx.executeBlocking(() -> {
            announced.set(nodeId, self.toJson());
            endpoints.put(nodeId, self);
            refresh();
            return null;
        });
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public boolean clustered() {
        return true;
    }

    private final class EndpointListener implements EntryAddedListener<Integer, String>,
            EntryUpdatedListener<Integer, String>, EntryRemovedListener<Integer, String> {

        @Override
        public void entryAdded(EntryEvent<Integer, String> event) {
            endpoints.put(event.getKey(), ClusterMember.fromJson(event.getValue()));
            refresh();
        }

        @Override
        public void entryUpdated(EntryEvent<Integer, String> event) {
            entryAdded(event);
        }

        @Override
        public void entryRemoved(EntryEvent<Integer, String> event) {
            endpoints.remove(event.getKey());
            refresh();
        }
    }
}
