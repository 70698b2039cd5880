package io.tributary.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Parses listener lists and derives what is advertised to clients. */
final class Listeners {

    private Listeners() {
    }

    /** Parses a list of listener specs; names must be unique, and so must non-ephemeral ports. */
    static List<Listener> parse(String key, List<String> specs, String raw) {
        List<Listener> listeners = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (String spec : specs) {
            Listener listener;
            try {
                listener = Listener.parse(spec);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, raw, e.getMessage());
            }
            if (!names.add(listener.name())) {
                throw new ConfigException(key, raw, "listener name " + listener.name() + " is used twice");
            }
            if (listener.port() != 0 && !ports.add(listener.port())) {
                throw new ConfigException(key, raw, "port " + listener.port() + " is used twice");
            }
            listeners.add(listener);
        }
        return List.copyOf(listeners);
    }

    /**
     * What clients are told to connect to. By default the listeners themselves, with a wildcard host
     * replaced by this machine's canonical host name (clients cannot connect to 0.0.0.0).
     */
    static List<Listener> advertised(List<Listener> listeners, List<Listener> explicit, String raw,
                                      Supplier<String> localHost) {
        if (explicit.isEmpty()) {
            return listeners.stream()
                    .map(l -> l.isWildcardHost() ? l.withHost(localHost.get()) : l)
                    .toList();
        }
        Set<String> names = new HashSet<>();
        listeners.forEach(l -> names.add(l.name()));
        for (Listener a : explicit) {
            if (!names.contains(a.name())) {
                throw new ConfigException(BrokerConfigDef.ADVERTISED_LISTENERS, raw, "listener name " + a.name()
                        + " is not one of the names in listeners (" + String.join(", ", names) + ")");
            }
            if (a.isWildcardHost()) {
                throw new ConfigException(BrokerConfigDef.ADVERTISED_LISTENERS, raw, "listener " + a.name()
                        + " must advertise a host clients can reach, not '" + a.host() + "'");
            }
            if (a.port() == 0) {
                throw new ConfigException(BrokerConfigDef.ADVERTISED_LISTENERS, raw, "listener " + a.name()
                        + " must advertise a port between 1 and 65535");
            }
        }
        return explicit;
    }

    /** This machine's canonical host name, as Kafka advertises for a wildcard listener. */
    static String canonicalLocalHost() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
