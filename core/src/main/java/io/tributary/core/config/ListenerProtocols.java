package io.tributary.core.config;

import static io.tributary.core.config.SecurityConfigDef.LISTENER_SECURITY_PROTOCOL_MAP;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The security protocol of each listener, from listener.security.protocol.map with Kafka's semantics: a listener
 * named after a protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL) speaks it unless mapped otherwise; any other
 * Kafka listener name must be mapped. Gateway listeners (MQTT, HTTP, Connect) without an entry are PLAINTEXT.
 */
public final class ListenerProtocols {

    /** Kafka's four security protocols. */
    public enum Protocol {
        PLAINTEXT(false, false), SSL(true, false), SASL_PLAINTEXT(false, true), SASL_SSL(true, true);

        private final boolean tls;
        private final boolean sasl;

        Protocol(boolean tls, boolean sasl) {
            this.tls = tls;
            this.sasl = sasl;
        }

        public boolean tls() {
            return tls;
        }

        public boolean sasl() {
            return sasl;
        }

        static Protocol parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private ListenerProtocols() {
    }

    /** The parsed map, upper-cased names; refuses malformed entries and unknown protocols. */
    static Map<String, Protocol> map(BrokerConfig config) {
        @SuppressWarnings("unchecked")
        List<String> entries = (List<String>) config.value(LISTENER_SECURITY_PROTOCOL_MAP);
        String raw = config.originals().getOrDefault(LISTENER_SECURITY_PROTOCOL_MAP, "");
        Map<String, Protocol> map = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            Protocol protocol = colon <= 0 ? null : Protocol.parse(entry.substring(colon + 1));
            if (protocol == null) {
                throw new ConfigException(LISTENER_SECURITY_PROTOCOL_MAP, raw, "'" + entry
                        + "' is not NAME:PROTOCOL with PROTOCOL one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
            }
            map.put(entry.substring(0, colon).trim().toUpperCase(Locale.ROOT), protocol);
        }
        return map;
    }

    /** The protocol of a Kafka listener; a ConfigException when the name is neither mapped nor a protocol. */
    public static Protocol kafka(BrokerConfig config, String listenerName) {
        Protocol p = map(config).get(listenerName);
        if (p == null) {
            p = Protocol.parse(listenerName);
        }
        if (p == null) {
            throw new ConfigException(BrokerConfigDef.LISTENERS, config.originals().get(BrokerConfigDef.LISTENERS),
                    "listener " + listenerName + " has no security protocol: name it after one (PLAINTEXT, SSL,"
                            + " SASL_PLAINTEXT, SASL_SSL) or map it in " + LISTENER_SECURITY_PROTOCOL_MAP);
        }
        return p;
    }

    /** The protocol of a gateway (MQTT, HTTP, Connect) listener: mapped, named after one, else PLAINTEXT. */
    public static Protocol gateway(BrokerConfig config, String listenerName) {
        Protocol p = map(config).get(listenerName);
        if (p == null) {
            p = Protocol.parse(listenerName);
        }
        return p == null ? Protocol.PLAINTEXT : p;
    }

    /**
     * Checks every listener's protocol and that TLS listeners have a key store; called when the config is parsed so
     * that a broken setup fails at start-up naming the key.
     */
    static void validate(BrokerConfig config) {
        boolean needsKeystore = false;
        for (Listener l : config.listeners()) {
            Protocol p = kafka(config, l.name());
            needsKeystore |= p.tls() && !hasKeystore(config, l.name());
        }
        for (List<Listener> gateway : List.of(config.mqttListeners(), config.httpListeners(),
                config.connectListeners())) {
            for (Listener l : gateway) {
                needsKeystore |= gateway(config, l.name()).tls() && !hasKeystore(config, l.name());
            }
        }
        if (needsKeystore) {
            throw new ConfigException(SecurityConfigDef.SSL_KEYSTORE_LOCATION, null,
                    "must be set: a listener uses SSL or SASL_SSL");
        }
    }

    private static boolean hasKeystore(BrokerConfig config, String listener) {
        return config.value(SecurityConfigDef.SSL_KEYSTORE_LOCATION) != null
                || config.originals().containsKey(SecurityConfigDef.LISTENER_PREFIX + listener.toLowerCase(Locale.ROOT)
                + "." + SecurityConfigDef.SSL_KEYSTORE_LOCATION);
    }
}
