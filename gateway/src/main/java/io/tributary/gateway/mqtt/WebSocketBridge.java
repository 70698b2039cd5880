package io.tributary.gateway.mqtt;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * MQTT over WebSocket: each WebSocket on /mqtt is joined to the MQTT listener through a loopback TCP
 * connection, binary frames one way and bytes back as binary frames, with backpressure both ways. The MQTT
 * side thus has one code path for every transport.
 */
final class WebSocketBridge implements Handler<ServerWebSocket> {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketBridge.class);

    private final NetClient client;
    private final Supplier<java.net.InetSocketAddress> target;

    WebSocketBridge(Vertx vertx, Supplier<java.net.InetSocketAddress> target) {
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
        this.target = target;
    }

    @Override
    public void handle(ServerWebSocket ws) {
        java.net.InetSocketAddress address = target.get();
        if (address == null) {
            ws.close((short) 1011, "MQTT gateway is not running");
            return;
        }
        ws.pause();
        client.connect(address.getPort(), address.getHostString()).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("MQTT over WebSocket: cannot reach the MQTT listener: {}", ar.cause().getMessage());
                ws.close((short) 1011, "MQTT listener unreachable");
                return;
            }
            var socket = ar.result();
            ws.pipeTo(socket);
            socket.pipeTo(ws);
            ws.resume();
        });
    }
}
