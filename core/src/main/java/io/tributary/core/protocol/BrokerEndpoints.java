package io.tributary.core.protocol;

import io.tributary.core.config.Listener;

import java.util.List;

/** Picks the advertised endpoint that clients of a connection's listener should use. */
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
}
