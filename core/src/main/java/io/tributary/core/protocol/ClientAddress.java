package io.tributary.core.protocol;

/** The client host as Kafka reports it in group descriptions ("/127.0.0.1"), from a connection address. */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String host(RequestContext context) {
        String remote = context.connection().remoteAddress();
        if (remote == null) {
            return "";
        }
        int colon = remote.lastIndexOf(':');
        String host = colon > 0 ? remote.substring(0, colon) : remote;
        return host.startsWith("/") ? host : "/" + host;
    }

    public static String clientId(RequestContext context) {
        String id = context.header().clientId();
        return id == null ? "" : id;
    }
}
