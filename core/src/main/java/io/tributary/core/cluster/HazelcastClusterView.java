package io.tributary.core.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.tributary.core.api.ClusterView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster view of a clustered broker. What each member offers besides Kafka (e.g. the connector runtime) is in
 * the Hazelcast map {@value #SERVICES_MAP}: node id to a JSON object of service name to endpoint, written only by
 * that member and stamped with its Hazelcast member UUID. An entry counts only while the Hazelcast member of that
 * UUID is alive, so the entry of a dead member, or one left from a member's earlier life, is never mistaken for
 * the member that is back under the same node id but does not offer the service (yet).
 */
public final class HazelcastClusterView implements ClusterView {

    static final String SERVICES_MAP = "tributary.member.services";
    private static final String MEMBER_KEY = "member";

    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private final Membership membership;
    private final Map<Integer, Map<String, String>> services = new ConcurrentHashMap<>();
    private final Map<String, String> own = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private IMap<Integer, String> map;

    private HazelcastClusterView(Vertx vertx, HazelcastInstance hazelcast, Membership membership) {
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.membership = membership;
    }

    /** Loads the members' entries and follows their changes. */
    public static Future<ClusterView> start(Vertx vertx, HazelcastInstance hazelcast, Membership membership) {
        HazelcastClusterView view = new HazelcastClusterView(vertx, hazelcast, membership);
        return vertx.executeBlocking(() -> {
            view.map = hazelcast.getMap(SERVICES_MAP);
            view.map.addEntryListener(view.new Changes(), true);
            view.map.forEach((id, json) -> view.services.put(id, decode(json)));
            membership.onChange(view::changed);
            hazelcast.getLifecycleService().addLifecycleListener(event -> {
                if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                    view.publish(); // the merged map may have lost this member's entry
                }
            });
            return view;
        });
    }

    @Override
    public int localId() {
        return membership.localId();
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public Map<Integer, String> endpoints(String service) {
        Map<Integer, String> result = new HashMap<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            String id = member.getAttribute(HazelcastMembership.NODE_ID_ATTRIBUTE);
            Map<String, String> offered = id == null ? null : services.get(Integer.parseInt(id));
            if (offered != null && member.getUuid().toString().equals(offered.get(MEMBER_KEY))
                    && offered.get(service) != null) {
                result.put(Integer.parseInt(id), offered.get(service));
            }
        }
        return result;
    }

    @Override
    public Future<Void> advertise(String service, String endpoint) {
        own.put(service, endpoint);
        return vertx.executeBlocking(() -> {
            publish();
            return null;
        });
    }

    @Override
    public Future<Void> withdraw(String service) {
        own.remove(service);
        return vertx.executeBlocking(() -> {
            publish();
            return null;
        });
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private synchronized void publish() {
        Map<String, String> entry = new HashMap<>(own);
        entry.put(MEMBER_KEY, hazelcast.getCluster().getLocalMember().getUuid().toString());
        Map<String, String> snapshot = Map.copyOf(entry);
        services.put(localId(), snapshot);
        map.set(localId(), new JsonObject(new HashMap<>(snapshot)).encode());
        changed();
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private static Map<String, String> decode(String json) {
        Map<String, String> result = new HashMap<>();
        new JsonObject(json).forEach(e -> result.put(e.getKey(), String.valueOf(e.getValue())));
        return Map.copyOf(result);
    }

    private final class Changes implements EntryAddedListener<Integer, String>, EntryUpdatedListener<Integer, String>,
            EntryRemovedListener<Integer, String> {

        @Override
        public void entryAdded(EntryEvent<Integer, String> event) {
            services.put(event.getKey(), decode(event.getValue()));
            changed();
        }

        @Override
        public void entryUpdated(EntryEvent<Integer, String> event) {
            entryAdded(event);
        }

        @Override
        public void entryRemoved(EntryEvent<Integer, String> event) {
            services.remove(event.getKey());
            changed();
        }
    }
}
