package io.tributary.gateway.http;

import io.tributary.core.BoundListener;
import io.tributary.core.api.BrokerApi;
import io.tributary.core.config.BrokerConfig;
import io.tributary.gateway.GatewayService;
import io.tributary.gateway.mqtt.MqttClients;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP front door: the Kafka REST Proxy v2 API (produce, metadata, consumer instances), live topic streams
 * over Server-Sent Events and WebSocket, MQTT over WebSocket on {@code /mqtt}, health, an OpenAPI document,
 * read-only operator views under {@code /admin} and the web console on {@code /console}.
 * It runs one server per event loop on every listener of http.listeners.
 */
public final class HttpGateway implements GatewayService {

    private final Vertx vertx;
    private final BrokerApi api;
    private final HttpSettings settings;
    private final int eventLoops;
    private final Handler<ServerWebSocket> mqttWebSocket;
    private final MqttClients mqttClients;
    private final ConsumerRegistry consumers;
    private volatile String deployment;
    private volatile boolean accepting;
    private final BrokerConfig config;

    /**
     * @param mqttWebSocket where WebSocket upgrades on {@code /mqtt} go; null answers 404 there
     * @param mqttClients   the MQTT gateway's connected clients, listed on {@code /admin/mqtt/clients}
     */
    public HttpGateway(Vertx vertx, BrokerConfig config, BrokerApi api, Handler<ServerWebSocket> mqttWebSocket,
                       MqttClients mqttClients) {
        this.vertx = vertx;
        this.api = api;
        this.settings = HttpSettings.from(config);
        this.config = config;
        this.eventLoops = config.numNetworkThreads();
        this.mqttWebSocket = mqttWebSocket;
        this.mqttClients = mqttClients;
        this.consumers = new ConsumerRegistry(vertx, api, settings.instanceTimeoutMs());
    }

    @Override
    public Future<List<BoundListener>> start() {
        if (settings.listeners().isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return vertx.executeBlocking(OpenApiRoute::load).compose(openApi -> {
            HttpRouterFactory routers = new HttpRouterFactory(api, settings, consumers, mqttWebSocket, mqttClients, openApi,
                    () -> accepting);
            // Every instance binds the same listeners; Vert.x spreads their connections over the event loops.
            AtomicReference<List<BoundListener>> bound = new AtomicReference<>();
            io.tributary.core.security.BrokerSecurity security =
                    io.tributary.core.security.BrokerSecurity.lookupOrLoad(vertx, config);
            // Connections per address count over all event loops' servers of a listener.
            java.util.Map<String, io.tributary.core.network.ConnectionLimits> limits = new java.util.HashMap<>();
            settings.listeners().forEach(l -> limits.put(l.name(),
                    io.tributary.core.network.ConnectionLimits.perIp(settings.maxConnectionsPerIp())));
            return vertx.deployVerticle(() -> new HttpServerVerticle(routers, settings.listeners(),
                            b -> bound.compareAndSet(null, b), config, security, settings, limits),
                            new DeploymentOptions().setInstances(eventLoops))
                    .map(id -> {
                        deployment = id;
                        consumers.start();
                        accepting = true;
                        return bound.get();
                    });
        });
    }

    /** Closes the consumer instances (they leave their groups), then the servers and their streams. */
    @Override
    public Future<Void> stop() {
        accepting = false;
        String id = deployment;
        deployment = null;
        return consumers.closeAll()
                .transform(ignored -> id == null ? Future.succeededFuture() : vertx.undeploy(id))
                .transform(ignored -> Future.succeededFuture());
    }

    /** Whether a consumer instance is live; asking does not count as using it. */
    boolean hasConsumerInstance(String group, String name) {
        return consumers.contains(group, name);
    }
}
