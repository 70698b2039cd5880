package io.tributary.gateway.mqtt;

import io.tributary.core.network.ConnectionLimits;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Guards one event loop's MQTT server below the MQTT codec, from the TCP accept on: counts connections per client
 * address (mqtt.max.connections.per.ip) and closes a connection that has not delivered its whole CONNECT packet
 * within mqtt.connect.timeout.seconds. The MQTT server's own connect timeout only measures silence, so a client
 * sending its CONNECT a byte at a time would never hit it; this deadline is absolute.
 *
 * <p>The MQTT server creates its TCP server itself; it is handed a Vert.x whose {@code createNetServer} wraps the
 * real server in a {@link GuardedNetServer}, which sees every socket before the MQTT codec does. Everything else
 * goes to the real Vert.x. All state belongs to the verticle's event loop.
 */
final class MqttConnectGuard {

    private final Vertx vertx;
    private final ConnectionLimits limits;
    private final long connectTimeoutMs;
    /** Connections still waiting for their CONNECT, by remote address, with their deadline timer. */
    private final Map<String, Long> awaitingConnect = new HashMap<>();

    MqttConnectGuard(Vertx vertx, ConnectionLimits limits, long connectTimeoutMs) {
        this.vertx = vertx;
        this.limits = limits;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /** An MQTT server whose connections pass through this guard. */
    MqttServer createServer(MqttServerOptions options) {
        Vertx guarded = (Vertx) Proxy.newProxyInstance(MqttConnectGuard.class.getClassLoader(),
                new Class<?>[]{VertxInternal.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createNetServer") && args != null && args.length == 1
                            && args[0] instanceof NetServerOptions netOptions) {
                        return new GuardedNetServer(((VertxInternal) vertx).createNetServer(netOptions), this);
                    }
                    try {
                        return method.invoke(vertx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return MqttServer.create(guarded, options);
    }

    /** The client's CONNECT arrived: its deadline no longer applies. */
    void connectReceived(MqttEndpoint endpoint) {
        Long timer = awaitingConnect.remove(String.valueOf(endpoint.remoteAddress()));
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    /** A new TCP connection: refused over the address's limit, else given its CONNECT deadline. */
    boolean accepted(NetSocket socket) {
        String ip = socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
        if (!limits.tryOpen(ip)) {
            socket.close();
            return false;
        }
        String key = String.valueOf(socket.remoteAddress());
        long timer = vertx.setTimer(connectTimeoutMs, t -> {
            if (awaitingConnect.remove(key) != null) {
                socket.close();
            }
        });
        awaitingConnect.put(key, timer);
        // The channel's own close future: the MQTT codec owns the socket's close handler.
        ((NetSocketInternal) socket).channelHandlerContext().channel().closeFuture().addListener(f -> {
            limits.closed(ip);
            Long pending = awaitingConnect.remove(key);
            if (pending != null) {
                vertx.cancelTimer(pending);
            }
        });
        return true;
    }

    /** Connections waiting for their CONNECT on this event loop (tests). */
    int awaitingConnect() {
        return awaitingConnect.size();
    }
}
