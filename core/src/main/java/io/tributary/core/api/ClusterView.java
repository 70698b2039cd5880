package io.tributary.core.api;

import io.vertx.core.Future;

import java.util.Map;

/**
 * A read-only view of the cluster's membership for components running inside the broker (the connector runtime),
 * plus a way for such a component to tell the other members where it serves. A standalone broker is a cluster of
 * one. Any thread.
 */
public interface ClusterView {

    /** This broker's node id. */
    int localId();

    /** True for a broker that is part of a multi-member cluster (even if alone right now). */
    boolean clustered();

    /** Live members advertising {@code service}: node id to the endpoint they gave. */
    Map<Integer, String> endpoints(String service);

    /** Tells every member that this broker offers {@code service} at {@code endpoint}, until withdrawn or gone. */
    Future<Void> advertise(String service, String endpoint);

    /** Stops advertising {@code service}. */
    Future<Void> withdraw(String service);

    /** Calls {@code listener}, on any thread, after members join or leave or an advertisement changes. */
    void onChange(Runnable listener);
}
