package io.tributary.gateway.http;

import io.tributary.core.BoundListener;
import io.tributary.core.ListenerBindException;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.Listener;
import io.tributary.core.config.ListenerProtocols;
import io.tributary.core.network.ConnectionLimits;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.tls.TlsServerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP servers of one event loop, one per listener, all routing through the same router design. The
 * gateway deploys one instance per event loop; Vert.x spreads connections over servers sharing a port.
 */
final class HttpServerVerticle extends VerticleBase {

    /**
     * Port 0 would give every event loop's server its own port; a negative port makes Vert.x bind one random
     * port that all servers asking for the same negative number share. This one is unlikely to be chosen by
     * another server of the same Vert.x instance.
     */
    private static final int SHARED_RANDOM_PORT = -18080;

    private final HttpRouterFactory routers;
    private final List<Listener> listeners;
    private final Consumer<List<BoundListener>> onBound;

    private final BrokerConfig config;
    private final BrokerSecurity security;
    private final HttpSettings settings;
    private final Map<String, ConnectionLimits> limits;

    /**
     * Servers with TLS and authentication as each listener's security protocol says, and the connection limits of
     * {@code settings}.
     *
     * @param limits each listener's connections per address, shared by all instances
     */
    HttpServerVerticle(HttpRouterFactory routers, List<Listener> listeners, Consumer<List<BoundListener>> onBound,
                       BrokerConfig config, BrokerSecurity security, HttpSettings settings,
                       Map<String, ConnectionLimits> limits) {
        this.config = config;
        this.security = security;
        this.settings = settings;
        this.limits = limits;
        this.routers = routers;
        this.listeners = listeners;
        this.onBound = onBound;
    }

    @Override
    public Future<?> start() {
        Router router = routers.create(vertx);
        List<Future<HttpServer>> servers = new ArrayList<>();
        for (int listenerIndex = 0; listenerIndex < listeners.size(); listenerIndex++) {
            Listener listener = listeners.get(listenerIndex);
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(listener.host().isEmpty() ? "0.0.0.0" : listener.host())
                    .setPort(listener.port() == 0 ? SHARED_RANDOM_PORT - listenerIndex : listener.port())
                    .addWebSocketSubProtocol(MqttWebSocketRoute.SUBPROTOCOL);
            if (settings.idleTimeoutMs() > 0) {
                // Counts reads and writes: an event stream's heartbeats keep it open.
                options.setIdleTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeoutMs()))
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
            }
            Router listenerRouter = router;
            if (config != null && security != null) {
                if (ListenerProtocols.gateway(config, listener.name()).tls()) {
                    TlsServerOptions.apply(options, config, listener.name());
                }
                listenerRouter = routers.create(vertx, listener, (r, l) -> HttpSecurity.install(r, security, config, l));
            }
            HttpConnectionGuard guard = new HttpConnectionGuard(vertx, limits.get(listener.name()),
                    settings.requestHeaderTimeoutMs());
            servers.add(guard.install(vertx.createHttpServer(options), listenerRouter).listen()
                    .recover(e -> ListenerBindException.failed(listener, e)));
        }
        return Future.all(servers).map(all -> {
            List<BoundListener> bound = new ArrayList<>();
            for (int i = 0; i < listeners.size(); i++) {
                Listener l = listeners.get(i);
                bound.add(new BoundListener(l.name(), l.host(), servers.get(i).result().actualPort()));
            }
            onBound.accept(bound);
            return null;
        });
    }
}
