package io.tributary.gateway.mqtt;

import io.tributary.core.BoundListener;
import io.tributary.core.ListenerBindException;
import io.tributary.core.api.BrokerApi;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.Listener;
import io.tributary.gateway.GatewayService;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT front door: MQTT 3.1.1 and 5 clients publish into and subscribe to the log. Restores retained
 * messages and persistent sessions, then binds each configured listener with one server instance per event loop.
 */
public final class MqttGateway implements GatewayService {

    private static final Logger LOG = LoggerFactory.getLogger(MqttGateway.class);

    private final Vertx vertx;
    private final BrokerApi api;
    private final MqttSettings settings;
    private final BrokerConfig config;
    private final List<String> deployments = new ArrayList<>();
    private final WebSocketBridge webSocketBridge;
    private volatile InetSocketAddress firstListener;
    private TopicCatalog catalog;
    private volatile GatewayServices services;
    private MqttMetrics metrics;

    public MqttGateway(Vertx vertx, BrokerConfig config, BrokerApi api) {
        this.vertx = vertx;
        this.api = api;
        this.settings = MqttSettings.from(config);
        this.config = config;
        this.webSocketBridge = new WebSocketBridge(vertx, () -> firstListener);
    }

    @Override
    public Future<List<BoundListener>> start() {
        if (settings.listeners().isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        TopicMapping mapping;
        try {
            mapping = TopicMapping.parse(settings.topicMappings());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        io.tributary.core.security.BrokerSecurity security =
                io.tributary.core.security.BrokerSecurity.lookupOrLoad(vertx, config);
        return loadCredentials().map(auth -> auth.withBrokerSecurity(security, mapping)).compose(auth -> {
            catalog = new TopicCatalog(vertx, api.topics());
            RetainedStore retained = new RetainedStore(vertx, api);
            WillPublisher wills = new WillPublisher(vertx);
            SessionRegistry sessions = new SessionRegistry(vertx, new SessionStore(vertx, api), wills);
            LogPublisher publisher = new LogPublisher(api.records(), mapping, retained, catalog);
            wills.publisher(publisher);
            metrics = new MqttMetrics(api.metrics().registry());
            GatewayServices gw = new GatewayServices(vertx, api, settings, mapping, catalog, publisher, retained,
                    sessions, auth, wills, metrics);
            services = gw;
            return retained.load().compose(v -> sessions.load()).compose(v -> {
                catalog.start();
                Future<List<BoundListener>> chain = Future.succeededFuture(new ArrayList<>());
                for (Listener listener : settings.listeners()) {
                    chain = chain.compose(bound -> bind(gw, listener).map(b -> {
                        bound.add(b);
                        return bound;
                    }));
                }
                return chain;
            });
        }).onSuccess(bound -> {
            // MQTT over WebSocket is bridged in plain TCP: to the first listener without TLS (the HTTP listener
            // carrying the WebSocket has its own TLS).
            BoundListener first = bound.stream()
                    .filter(b -> !io.tributary.core.config.ListenerProtocols.gateway(config, b.name()).tls())
                    .findFirst().orElse(null);
            if (first == null) {
                LOG.info("MQTT gateway listening on {}; no plain listener, so no MQTT over WebSocket", bound);
                return;
            }
            String host = first.host().isEmpty() || first.host().equals("0.0.0.0") || first.host().equals("::")
                    ? "127.0.0.1" : first.host();
            firstListener = InetSocketAddress.createUnresolved(host, first.port());
            LOG.info("MQTT gateway listening on {}", bound);
        });
    }

    /** One server instance per event loop, all sharing the listener's port (Vert.x shares port 0 within a deployment). */
    private Future<BoundListener> bind(GatewayServices gw, Listener listener) {
        List<MqttListenerVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.tributary.core.network.ConnectionLimits limits =
                io.tributary.core.network.ConnectionLimits.perIp(settings.maxConnectionsPerIp());
        return vertx.deployVerticle(() -> {
            MqttListenerVerticle v = new MqttListenerVerticle(gw, listener.bindHost(), listener.port(), limits);
            if (io.tributary.core.config.ListenerProtocols.gateway(config, listener.name()).tls()) {
                v.tls(options -> io.tributary.core.security.tls.TlsServerOptions.apply(options, config, listener.name()));
            }
            instances.add(v);
            return v;
        }, new DeploymentOptions().setInstances(settings.eventLoops()))
                .recover(e -> ListenerBindException.<String>failed(listener, e))
                .map(id -> {
            deployments.add(id);
            return new BoundListener(listener.name(), listener.host(), instances.get(0).actualPort());
        });
    }

    private Future<Authenticator> loadCredentials() {
        String file = settings.credentialsFile();
        if (file == null || file.isBlank()) {
            return Future.succeededFuture(new Authenticator(vertx, CredentialsFile.empty(), false, settings.allowAnonymous()));
        }
        return vertx.executeBlocking(() -> new Authenticator(vertx, CredentialsFile.read(Path.of(file)), true,
                settings.allowAnonymous()));
    }

    @Override
    public Future<Void> stop() {
        firstListener = null;
        if (catalog != null) {
            catalog.stop();
        }
        if (metrics != null) {
            metrics.close();
        }
        Future<Void> chain = Future.succeededFuture();
        for (int i = deployments.size() - 1; i >= 0; i--) {
            String id = deployments.get(i);
            chain = chain.transform(v -> vertx.undeploy(id));
        }
        deployments.clear();
        return chain.transform(v -> Future.succeededFuture());
    }

    /** Messages buffered for a connected client (0 when it is not connected); for tests and monitoring. */
    int queuedFor(String clientId) {
        return services == null ? 0 : services.sessions().queuedFor(clientId);
    }

    /** The most inbound QoS 1/2 publishes of a connected client that waited for their acknowledgement at once. */
    int peakInboundPendingFor(String clientId) {
        return services == null ? 0 : services.sessions().peakInboundPendingFor(clientId);
    }

    /** Client id to subscription filters of every session; an unsynchronised snapshot for tests and monitoring. */
    java.util.Map<String, java.util.Set<String>> sessionsView() {
        return services == null ? java.util.Map.of() : services.sessions().subscriptionsView();
    }

    /** The clients connected to this member's MQTT listeners (and over WebSocket), for operators. */
    public MqttClients clients() {
        return () -> {
            GatewayServices gw = services;
            return gw == null ? List.of() : gw.sessions().connectedClients();
        };
    }

    /** Serves MQTT over a WebSocket (the HTTP gateway routes /mqtt upgrades with subprotocol "mqtt" here). */
    public Handler<ServerWebSocket> webSocketHandler() {
        return webSocketBridge;
    }
}
