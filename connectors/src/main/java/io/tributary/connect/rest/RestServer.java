package io.tributary.connect.rest;

import io.tributary.connect.plugins.Plugins;
import io.tributary.connect.runtime.Herder;
import io.tributary.connect.runtime.RequestException;
import io.tributary.core.BoundListener;
import io.tributary.core.ListenerBindException;
import io.tributary.core.config.Listener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.Handler;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ListenerProtocols;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.tls.TlsServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Kafka Connect REST API on connect.listeners, served on the broker's Vert.x by vertx-web. */
public final class RestServer {

    private static final long MAX_BODY_BYTES = 1 << 20;

    private final Vertx vertx;
    private final Router router;
    private final List<HttpServer> servers = new ArrayList<>();

    public RestServer(Vertx vertx, Herder herder, Plugins plugins, String version) {
        this.vertx = vertx;
        this.router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        router.get("/").handler(ctx -> {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("version", version);
            root.put("commit", "tributary");
            root.put("kafka_cluster_id", "tributary");
            Responses.json(ctx, 200, root);
        });
        new ConnectorRoutes(herder).mount(router);
        new PluginRoutes(herder, plugins).mount(router);
        router.route().last().handler(ctx -> Responses.error(ctx, new RequestException(404, "HTTP 404 Not Found")));
        router.errorHandler(500, ctx -> Responses.error(ctx, ctx.failure() == null
                ? new RequestException(500, "Internal error") : ctx.failure()));
    }

    /** Binds every listener; completes with what was bound (port 0 resolved). */
    public Future<List<BoundListener>> start(List<Listener> listeners) {
        return start(listeners, null);
    }

    /**
     * Binds every listener with its security protocol from {@code config}: TLS from the ssl.* keys on SSL and
     * SASL_SSL listeners, HTTP basic credentials of a broker user required on SASL_PLAINTEXT and SASL_SSL ones.
     */
    public Future<List<BoundListener>> start(List<Listener> listeners, BrokerConfig config) {
        Future<Void> chain = Future.succeededFuture();
        List<BoundListener> bound = new ArrayList<>();
        BrokerSecurity security = config == null ? null : BrokerSecurity.lookupOrLoad(vertx, config);
        for (Listener listener : listeners) {
            HttpServerOptions options = new HttpServerOptions().setHost(listener.bindHost()).setPort(listener.port());
            ListenerProtocols.Protocol protocol = config == null ? ListenerProtocols.Protocol.PLAINTEXT
                    : ListenerProtocols.gateway(config, listener.name());
            if (protocol.tls()) {
                TlsServerOptions.apply(options, config, listener.name());
            }
            Handler<HttpServerRequest> handler = protocol.sasl() ? basicAuth(security) : router;
            chain = chain.compose(v -> vertx.createHttpServer(options)
                    .requestHandler(handler).listen()
                    .recover(e -> ListenerBindException.<HttpServer>failed(listener, e))
                    .map(server -> {
                        servers.add(server);
                        bound.add(new BoundListener(listener.name(), listener.host(), server.actualPort()));
                        return null;
                    }));
        }
        return chain.map(v -> List.copyOf(bound));
    }

    /** Requests pass to the router only with the basic credentials of a broker user (SASL PLAIN or SCRAM user). */
    private Handler<HttpServerRequest> basicAuth(BrokerSecurity security) {
        return request -> {
            String header = request.getHeader("Authorization");
            String decoded = null;
            if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    decoded = null;
                }
            }
            String host = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
            int colon = decoded == null ? -1 : decoded.indexOf(':');
            if (colon <= 0 || security.failures().blocked(host)) {
                request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"tributary\"")
                        .putHeader("Content-Type", "application/json")
                        .end("{\"error_code\":401,\"message\":\"Authentication required\"}");
                return;
            }
            request.pause();
            security.verifyPassword(decoded.substring(0, colon), decoded.substring(colon + 1)).onComplete(ar -> {
                if (ar.succeeded()) {
                    router.handle(request);
                    request.resume();
                } else {
                    security.failures().failed(host);
                    request.resume();
                    request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"tributary\"")
                            .putHeader("Content-Type", "application/json")
                            .end("{\"error_code\":401,\"message\":\"Authentication failed\"}");
                }
            });
        };
    }

    public Future<Void> stop() {
        List<Future<Void>> closes = servers.stream().map(HttpServer::close).toList();
        return Future.join(closes).mapEmpty();
    }
}
