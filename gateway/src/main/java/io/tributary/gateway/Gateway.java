package io.tributary.gateway;

import io.tributary.core.BoundListener;
import io.tributary.core.api.BrokerApi;
import io.tributary.core.config.BrokerConfig;
import io.tributary.gateway.http.HttpGateway;
import io.tributary.gateway.mqtt.MqttGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The MQTT and HTTP front doors of a broker. They reach the broker only through {@link BrokerApi} and run on
 * the broker's Vert.x instance, so a request hops straight to the partition's event loop.
 */
public final class Gateway {

    private final List<GatewayService> started;
    private final List<BoundListener> bound;

    private Gateway(List<GatewayService> started, List<BoundListener> bound) {
        this.started = started;
        this.bound = bound;
    }

    /** Starts every enabled service in order; if one fails, those already started are stopped again. */
    public static Future<Gateway> start(Vertx vertx, BrokerConfig config, BrokerApi api) {
        List<GatewayService> services = services(vertx, config, api);
        List<GatewayService> started = new ArrayList<>();
        List<BoundListener> bound = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (GatewayService service : services) {
            chain = chain.compose(v -> service.start().map(listeners -> {
                started.add(service);
                bound.addAll(listeners);
                return null;
            }));
        }
        return chain.map(v -> new Gateway(started, Collections.unmodifiableList(bound)))
                .recover(e -> stopAll(started).transform(ignored -> Future.failedFuture(e)));
    }

    private static List<GatewayService> services(Vertx vertx, BrokerConfig config, BrokerApi api) {
        List<GatewayService> services = new ArrayList<>();
        MqttGateway mqtt = new MqttGateway(vertx, config, api);
        services.add(mqtt);
        // MQTT over WebSocket shares the HTTP port at /mqtt; /admin/mqtt/clients lists the MQTT gateway's clients.
        services.add(new HttpGateway(vertx, config, api, mqtt.webSocketHandler(), mqtt.clients()));
        return services;
    }

    public List<BoundListener> boundListeners() {
        return bound;
    }

    /** Stops the services in reverse order of starting. */
    public Future<Void> stop() {
        return stopAll(started);
    }

    private static Future<Void> stopAll(List<GatewayService> services) {
        Future<Void> chain = Future.succeededFuture();
        for (int i = services.size() - 1; i >= 0; i--) {
            GatewayService service = services.get(i);
            chain = chain.transform(ignored -> service.stop());
        }
        return chain.transform(ignored -> Future.succeededFuture());
    }
}
