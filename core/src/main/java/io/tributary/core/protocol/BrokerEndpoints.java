package io.tributary.core.protocol;

import io.tributary.core.cluster.ClusterMember;
import io.tributary.core.config.Listener;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Picks the advertised endpoints that clients of a connection's listener should use, for this and other brokers. */
public final class BrokerEndpoints {

    private BrokerEndpoints() {
    }

    public static Listener forListener(RequestContext context) {
        List<Listener> advertised = context.broker().config().advertisedListeners();
        String name = context.connection().listenerName();
        Listener listener = advertised.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElse(advertised.get(0));
        // A listener configured with port 0 is advertised with the port it was actually bound to.
        return listener.port() == 0 ? new Listener(listener.name(), listener.host(), context.connection().localPort())
                : listener;
    }

    /** A live member as clients of this connection's listener reach it. */
    public record Endpoint(int nodeId, String host, int port, String rack) {
    }

    /** Every live broker that has announced its endpoints, this one included, by node id. */
    public static List<Endpoint> liveBrokers(RequestContext context) {
        int self = context.broker().nodeId();
        List<Endpoint> brokers = new ArrayList<>();
        for (ClusterMember member : context.broker().cluster().membership().members().values()) {
            Listener listener = member.nodeId() == self ? forListener(context)
                    : member.endpoint(context.connection().listenerName());
            if (listener != null) {
                brokers.add(new Endpoint(member.nodeId(), listener.host(), listener.port(), member.rack()));
            }
        }
        if (brokers.stream().noneMatch(b -> b.nodeId() == self)) {
            Listener own = forListener(context);
            brokers.add(new Endpoint(self, own.host(), own.port(), null));
        }
        brokers.sort(Comparator.comparingInt(Endpoint::nodeId));
        return brokers;
    }

    /** The endpoint of broker {@code nodeId}, or null when it is not alive (or not announced yet). */
    public static Endpoint of(RequestContext context, int nodeId) {
        for (Endpoint e : liveBrokers(context)) {
            if (e.nodeId() == nodeId) {
                return e;
            }
        }
        return null;
    }
}
