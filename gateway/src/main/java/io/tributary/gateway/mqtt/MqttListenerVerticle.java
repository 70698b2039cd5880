package io.tributary.gateway.mqtt;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One MQTT server instance on one event loop; several instances share a listener's port, Vert.x spreading
 * connections over them. Keeps its connections to checkpoint their sessions and to end them on stop.
 */
final class MqttListenerVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(MqttListenerVerticle.class);

    private static final long KEEP_ALIVE_SWEEP_MS = 500;

    private final GatewayServices gw;
    private final String host;
    private final int port;
    private final io.tributary.core.network.ConnectionLimits limits;
    private final Set<MqttConnection> connections = new LinkedHashSet<>();
    private MqttServer server;
    /** This event loop's appends, batched across its connections. */
    private PipelinedAppender appender;

    /** Turns TLS on for an mqtts listener; null for plain MQTT. */
    private java.util.function.Consumer<MqttServerOptions> tls;

    void tls(java.util.function.Consumer<MqttServerOptions> tls) {
        this.tls = tls;
    }

    /** @param limits the listener's connections per address, shared by all its instances */
    MqttListenerVerticle(GatewayServices gw, String host, int port, io.tributary.core.network.ConnectionLimits limits) {
        this.gw = gw;
        this.limits = limits;
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        appender = new PipelinedAppender(gw.publisher(), context);
        MqttServerOptions options = new MqttServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxMessageSize(gw.settings().maxPacketBytes())
                .setTimeoutOnConnect(gw.settings().connectTimeoutSeconds())
                .setAutoClientId(false);
        options.setReuseAddress(true);
        if (tls != null) {
            tls.accept(options);
        }
        MqttConnectGuard guard = new MqttConnectGuard(vertx, limits, gw.settings().connectTimeoutSeconds() * 1000L);
        server = guard.createServer(options)
                .endpointHandler(endpoint -> {
                    guard.connectReceived(endpoint);
                    MqttConnection.accept(gw, endpoint, appender, connections::add, connections::remove);
                })
                .exceptionHandler(e -> LOG.debug("MQTT connection error: {}", e.toString()));
        vertx.setPeriodic(gw.settings().checkpointIntervalMs(), id -> {
            for (MqttConnection c : connections) {
                c.checkpoint();
            }
        });
        // One keep-alive sweep for all of this event loop's connections instead of a timer per connection.
        vertx.setPeriodic(KEEP_ALIVE_SWEEP_MS, id -> {
            long now = System.nanoTime();
            List<MqttConnection> expired = new ArrayList<>();
            for (MqttConnection c : connections) {
                if (c.keepAliveDue(now)) {
                    expired.add(c);
                }
            }
            expired.forEach(MqttConnection::keepAliveTimeout);
        });
        return server.listen();
    }

    int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        List<Future<Void>> ended = new ArrayList<>();
        for (MqttConnection c : new ArrayList<>(connections)) {
            c.shutdown();
            ended.add(c.endNow());
        }
        return Future.join(ended).transform(v -> server.close());
    }
}
