package io.tributary.core.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A listener as written in {@code listeners}/{@code advertised.listeners}: {@code NAME://host:port}.
 * The name is the listener name; its security protocol comes from listener.security.protocol.map
 * (see {@link ListenerProtocols}). An empty host (or 0.0.0.0)
 * binds every interface; an IPv6 host is written in brackets and kept here without them.
 */
public record Listener(String name, String host, int port) {

    private static final Pattern SPEC = Pattern.compile("([A-Za-z0-9_]+)://(\\[[^\\]]*\\]|[^:/\\[\\]]*):(-?\\d+)");

    public Listener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
    }

    /**
     * Parses one {@code NAME://host:port}. The IllegalArgumentException message says what is wrong
     * and is meant to be wrapped in a ConfigException naming the key.
     */
    public static Listener parse(String spec) {
        Matcher m = SPEC.matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + spec.trim()
                    + "' is not a listener; expected NAME://host:port, e.g. PLAINTEXT://127.0.0.1:9092");
        }
        String name = m.group(1).toUpperCase(Locale.ROOT);
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(m.group(3));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listener " + name + ": port must be between 0 and 65535, was "
                    + m.group(3));
        }
        return new Listener(name, host, port);
    }

    /** True when the host names no single interface (empty, 0.0.0.0 or ::). */
    public boolean isWildcardHost() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    /** The address to bind: the wildcard address when the host is empty. */
    public String bindHost() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    /** The listener in config form, {@code NAME://host:port}, with IPv6 hosts bracketed. */
    public String uri() {
        return name + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public Listener withHost(String newHost) {
        return new Listener(name, newHost, port);
    }

    @Override
    public String toString() {
        return uri();
    }
}
