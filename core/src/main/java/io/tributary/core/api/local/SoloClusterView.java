package io.tributary.core.api.local;

import io.tributary.core.api.ClusterView;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The cluster view of a standalone broker: it is the only member, and sees only its own advertisements. */
public final class SoloClusterView implements ClusterView {

    private final int nodeId;
    private final Map<String, String> advertised = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    public SoloClusterView(int nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public int localId() {
        return nodeId;
    }

    @Override
    public boolean clustered() {
        return false;
    }

    @Override
    public Map<Integer, String> endpoints(String service) {
        String endpoint = advertised.get(service);
        Map<Integer, String> result = new HashMap<>();
        if (endpoint != null) {
            result.put(nodeId, endpoint);
        }
        return result;
    }

    @Override
    public Future<Void> advertise(String service, String endpoint) {
        advertised.put(service, endpoint);
        listeners.forEach(Runnable::run);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> withdraw(String service) {
        advertised.remove(service);
        listeners.forEach(Runnable::run);
        return Future.succeededFuture();
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
