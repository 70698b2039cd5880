package io.tributary.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /mqtt}: WebSocket upgrades with the {@code mqtt} subprotocol are handed to the MQTT gateway, so
 * browsers can speak MQTT over the HTTP port. Without an MQTT handler the path does not exist (404).
 */
final class MqttWebSocketRoute {

    static final String SUBPROTOCOL = "mqtt";

    private final Handler<ServerWebSocket> mqtt;

    MqttWebSocketRoute(Handler<ServerWebSocket> mqtt) {
        this.mqtt = mqtt;
    }

    void mount(Router router) {
        router.get("/mqtt").handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        if (mqtt == null) {
            throw HttpError.notFound("MQTT over WebSocket is not enabled");
        }
        String offered = ctx.request().getHeader("Sec-WebSocket-Protocol");
        if (!ctx.request().canUpgradeToWebSocket() || offered == null || !offersMqtt(offered)) {
            throw HttpError.badRequest("Expected a WebSocket upgrade with subprotocol " + SUBPROTOCOL);
        }
        ctx.request().toWebSocket().onSuccess(mqtt::handle).onFailure(ctx::fail);
    }

    private static boolean offersMqtt(String header) {
        for (String protocol : header.split(",")) {
            if (protocol.trim().equalsIgnoreCase(SUBPROTOCOL)) {
                return true;
            }
        }
        return false;
    }
}
