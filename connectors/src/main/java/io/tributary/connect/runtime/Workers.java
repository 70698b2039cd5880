package io.tributary.connect.runtime;

import io.tributary.core.api.ClusterView;

import java.util.Map;
import java.util.Set;

/**
 * The members running the connector runtime: live members that advertise the service {@value #SERVICE} with
 * their worker id (the host:port of their REST API) as the endpoint. A standalone broker is the only worker.
 */
public final class Workers {

    public static final String SERVICE = "connect";

    private final ClusterView cluster;

    public Workers(ClusterView cluster) {
        this.cluster = cluster;
    }

    public int localId() {
        return cluster.localId();
    }

    public boolean clustered() {
        return cluster.clustered();
    }

    /** Live workers: node id to worker id. */
    public Map<Integer, String> live() {
        return cluster.endpoints(SERVICE);
    }

    public Set<String> liveWorkerIds() {
        return Set.copyOf(live().values());
    }

    public void onChange(Runnable listener) {
        cluster.onChange(listener);
    }
}
